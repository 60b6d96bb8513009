import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createAuthorizer,
  DEFAULT_POLICY_PATH,
  type Authorizer,
} from '@fieldwise/authz';
import { RetrievalServiceService } from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import {
  implementService,
  type RunServiceOptions,
  type ServiceRegistration,
} from '@fieldwise/grpc';
import type { Logger } from 'pino';
import {
  createEmbedder,
  OpenAiEmbedder,
  type Embedder,
} from './adapters/embeddings/index.js';
import { readSources } from './adapters/files/collateral-directory.js';
import { createGuardrailsInjectionScanner } from './adapters/injection-scanner/index.js';
import {
  openDocumentStore,
  type DocumentStore,
} from './adapters/store/index.js';
import {
  createVectorIndex,
  type VectorIndex,
} from './adapters/vector-index/index.js';
import { corpusDirOf, type RetrievalConfig } from './config.js';
import {
  ingestDocuments,
  type IngestReport,
  type InjectionScanner,
} from './domain/index.js';
import { createDocumentAccess } from './handlers/document-access.js';
import { createRetrievalHandlers } from './handlers/retrieval-handlers.js';
import { createSerialQueue } from './handlers/serial-queue.js';

/** The tenant the shipped corpus belongs to (data/collateral/README.md). */
export const CORPUS_TENANT = 'lumen';

/** Vector sizes of well-known embedding models, used when EMBEDDINGS_DIMENSIONS is unset. */
const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** The retrieval service's external systems, opened from configuration. */
export interface RetrievalAdapters {
  readonly store: DocumentStore;
  readonly index: VectorIndex;
  readonly embedder: Embedder;
  readonly scanner: InjectionScanner;
  /** Closes the index and the store (idempotent use is not required). */
  close(): Promise<void>;
}

/** Where the service keeps its files inside the (shared) data dir. */
export function retrievalDataDir(dataDir: string): string {
  return join(dataDir, 'retrieval');
}

/**
 * Opens the store, embedder, vector index and injection scanner the
 * configuration selects, logging each choice: SQLite under
 * `<dataDir>/retrieval/`, word vectors or the OpenAI embeddings API, the
 * embedded HNSW index or Qdrant, and the guardrails prompt-injection rule.
 * Used by the service and the ingest CLI so both read and write the same
 * data. Throws CONFIG_INVALID for an unusable embedder configuration.
 */
export function openRetrievalAdapters(
  config: RetrievalConfig,
  dataDir: string,
  logger: Logger,
): RetrievalAdapters {
  const dir = retrievalDataDir(dataDir);
  const embedder = openEmbedder(config, dir, logger);
  const index = createVectorIndex(
    {
      dimensions: embedder.dimensions,
      dir: join(dir, 'vectors', embedder.model),
      ...(config.QDRANT_URL
        ? {
            qdrantUrl: config.QDRANT_URL,
            qdrantCollection:
              config.QDRANT_COLLECTION ??
              `fieldwise-collateral-${embedder.model.replace(/[^A-Za-z0-9_-]+/g, '-')}`,
            ...(config.QDRANT_API_KEY
              ? { qdrantApiKey: config.QDRANT_API_KEY }
              : {}),
          }
        : {}),
    },
    logger,
  );
  const store = openDocumentStore({ dataDir: dir }, logger);
  const scanner = createGuardrailsInjectionScanner({ logger });
  logger.info(
    { adapter: 'guardrails', rule: 'prompt-injection', mode: 'flag' },
    'injection scanner adapter chosen',
  );
  return {
    store,
    index,
    embedder,
    scanner,
    async close() {
      await index.close();
      store.close();
    },
  };
}

function openEmbedder(
  config: RetrievalConfig,
  dir: string,
  logger: Logger,
): Embedder {
  const useOpenAi =
    config.RETRIEVAL_EMBEDDER === 'openai' ||
    (config.RETRIEVAL_EMBEDDER === 'auto' &&
      config.OPENAI_API_KEY !== undefined);
  if (!useOpenAi) {
    return createEmbedder(
      {
        cacheDir: config.RETRIEVAL_EMBEDDINGS_CACHE_DIR
          ? resolve(config.RETRIEVAL_EMBEDDINGS_CACHE_DIR)
          : join(dir, 'cache'),
      },
      logger,
    );
  }
  if (!config.OPENAI_API_KEY) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      'RETRIEVAL_EMBEDDER=openai needs OPENAI_API_KEY',
    );
  }
  const model = config.EMBEDDINGS_MODEL;
  const dimensions = config.EMBEDDINGS_DIMENSIONS ?? KNOWN_DIMENSIONS[model];
  if (dimensions === undefined) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `EMBEDDINGS_DIMENSIONS is required for the embedding model '${model}'`,
    );
  }
  logger.info(
    {
      adapter: config.OPENAI_BASE_URL ? 'openai-compatible' : 'openai',
      model,
      dimensions,
    },
    'embedder adapter chosen',
  );
  return new OpenAiEmbedder({
    model,
    dimensions,
    apiKey: config.OPENAI_API_KEY,
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    // Only the text-embedding-3 family can shorten vectors on request.
    requestDimensions:
      config.EMBEDDINGS_DIMENSIONS !== undefined &&
      model.startsWith('text-embedding-3'),
    logger,
  });
}

/**
 * Ingests the configured corpus into tenant `lumen` when that tenant has no
 * document yet; returns the report, or undefined when nothing was due.
 * Throws CONFIG_INVALID when the corpus directory is missing.
 */
export async function ingestCorpusOnFirstStart(
  config: RetrievalConfig,
  adapters: RetrievalAdapters,
  logger: Logger,
): Promise<IngestReport | undefined> {
  const existing = adapters.store.listDocumentIds(CORPUS_TENANT).length;
  const points = await adapters.index.count();
  logger.info(
    { documents: existing, vectors: points, index: adapters.index.name },
    'retrieval index opened',
  );
  if (existing > 0) {
    if (points === 0) {
      logger.warn(
        { documents: existing },
        'the vector index is empty while the store holds documents: vector search finds nothing until they are re-ingested',
      );
    }
    return undefined;
  }
  if (!config.RETRIEVAL_INGEST_ON_START) return undefined;
  const corpusDir = corpusDirOf(config);
  if (!existsSync(corpusDir)) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `RETRIEVAL_CORPUS_DIR ${corpusDir} does not exist (set RETRIEVAL_INGEST_ON_START=false to start empty)`,
    );
  }
  const { documents, sidecarProblems } = readSources(corpusDir);
  for (const problem of sidecarProblems)
    logger.warn(problem, 'sidecar ignored');
  const started = performance.now();
  const report = await ingestDocuments(
    {
      ...adapters,
      logger,
      maxDocumentBytes: config.RETRIEVAL_MAX_DOCUMENT_BYTES,
    },
    { tenant: CORPUS_TENANT, documents },
  );
  logger.info(
    {
      corpusDir,
      tenant: CORPUS_TENANT,
      documents: report.documents.length,
      rejected: report.rejected.length,
      chunks: report.chunksWritten,
      flaggedDocuments: report.documents.filter((d) => d.flaggedChunks > 0)
        .length,
      seconds: Math.round(performance.now() - started) / 1000,
    },
    'corpus ingested on first start',
  );
  return report;
}

/** Builds the RetrievalService registration over open adapters and an authorizer. */
export function buildRetrievalService(
  config: RetrievalConfig,
  adapters: RetrievalAdapters,
  authorizer: Authorizer,
): ServiceRegistration {
  return implementService(
    RetrievalServiceService,
    createRetrievalHandlers({
      store: adapters.store,
      index: adapters.index,
      embedder: adapters.embedder,
      scanner: adapters.scanner,
      access: createDocumentAccess(authorizer),
      maxDocumentBytes: config.RETRIEVAL_MAX_DOCUMENT_BYTES,
      writes: createSerialQueue(),
    }),
  );
}

/**
 * The service part of `runGrpcService` options for the retrieval service:
 * `services` opens the adapters, loads the authz policy (watched for
 * changes), ingests the corpus on first start and returns the
 * RetrievalService registration, so the server binds and reports SERVING
 * only once the index is loaded; `onShutdown` closes all of it.
 */
export function retrievalServiceOptions(
  config: RetrievalConfig,
): Required<Pick<RunServiceOptions, 'services' | 'onShutdown'>> {
  let opened: { adapters: RetrievalAdapters; authorizer?: Authorizer } | null =
    null;
  const close = async (): Promise<void> => {
    const current = opened;
    opened = null;
    current?.authorizer?.close();
    await current?.adapters.close();
  };
  return {
    services: async ({ logger, dataDir }) => {
      const adapters = openRetrievalAdapters(config, dataDir, logger);
      opened = { adapters };
      try {
        const authorizer = await createAuthorizer({
          policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
          logger,
        });
        opened.authorizer = authorizer;
        authorizer.watch();
        await ingestCorpusOnFirstStart(config, adapters, logger);
        return [buildRetrievalService(config, adapters, authorizer)];
      } catch (error) {
        await close();
        throw error;
      }
    },
    onShutdown: close,
  };
}
