import { NotFoundError, ValidationError } from '@fieldwise/errors';
import type { Logger } from 'pino';
import type { Embedder } from '../adapters/embeddings/port.js';
import type { DocumentStore } from '../adapters/store/port.js';
import type {
  VectorIndex,
  VectorPayload,
} from '../adapters/vector-index/port.js';
import {
  chunkDocument,
  DEFAULT_CHUNKING,
  type ChunkingOptions,
} from './chunking.js';
import { sha256 } from './hashing.js';
import type { InjectionScanner } from './injection-scanner.js';
import type {
  ChunkRecord,
  DocumentMetadata,
  DocumentRecord,
  HiddenKind,
} from './model.js';
import {
  DEFAULT_MAX_DOCUMENT_BYTES,
  documentIdOf,
  parseSourceDocument,
  type SourceDocument,
} from './parsing/parse-document.js';
import { DocumentRejection } from './parsing/parsed-document.js';

/** Everything ingestion needs. */
export interface IngestDeps {
  readonly store: DocumentStore;
  readonly index: VectorIndex;
  readonly embedder: Embedder;
  readonly scanner: InjectionScanner;
  readonly logger: Logger;
  readonly chunking?: ChunkingOptions;
  readonly maxDocumentBytes?: number;
  /** Clock for `ingestedAt` (tests pin it). */
  readonly now?: () => Date;
}

/** A batch of source files for one tenant. */
export interface IngestInput {
  readonly tenant: string;
  readonly documents: readonly SourceDocument[];
}

/** What happened to one accepted document. */
export interface IngestedDocument {
  readonly documentId: string;
  readonly status: 'created' | 'updated' | 'unchanged';
  readonly chunks: number;
  readonly flaggedChunks: number;
}

/** A source file that was not ingested, with every reason. */
export interface RejectedDocument {
  readonly source: string;
  readonly documentId: string;
  readonly reasons: readonly string[];
}

/** The outcome of a batch: each document accepted or rejected, and what was written. */
export interface IngestReport {
  readonly documents: readonly IngestedDocument[];
  readonly rejected: readonly RejectedDocument[];
  /** Chunks written to the store and index (0 when nothing changed). */
  readonly chunksWritten: number;
  /** Stale chunks removed because their document changed. */
  readonly chunksRemoved: number;
}

/** Bump when chunking or stored-chunk derivation changes, so documents re-ingest. */
const PIPELINE_VERSION = 'chunks.v1';

/**
 * Ingests a batch: validates and extracts each file, chunks it along its
 * headings, scans every chunk for prompt injection, embeds and indexes it.
 * A document whose content hash (metadata, text, pipeline and embedding
 * model) is unchanged writes nothing; a changed one replaces exactly its own
 * chunks. A bad file is rejected with reasons and the rest of the batch
 * still ingests. Throws `VALIDATION_FAILED` only for a bad tenant.
 */
export async function ingestDocuments(
  deps: IngestDeps,
  input: IngestInput,
): Promise<IngestReport> {
  assertTenant(input.tenant);
  const documents: IngestedDocument[] = [];
  const rejected: RejectedDocument[] = [];
  const seen = new Set<string>();
  let chunksWritten = 0;
  let chunksRemoved = 0;
  for (const source of input.documents) {
    const documentId = documentIdOf(source.name);
    try {
      if (seen.has(documentId))
        throw new DocumentRejection([
          `duplicate document id '${documentId}' in this batch`,
        ]);
      seen.add(documentId);
      const result = await ingestOne(deps, input.tenant, source);
      documents.push(result.document);
      chunksWritten += result.written;
      chunksRemoved += result.removed;
    } catch (error) {
      if (!(error instanceof DocumentRejection)) throw error;
      deps.logger.warn(
        { source: source.name, reasons: error.reasons },
        'document rejected',
      );
      rejected.push({
        source: source.name,
        documentId,
        reasons: error.reasons,
      });
    }
  }
  if (chunksWritten > 0 || chunksRemoved > 0) await deps.index.flush();
  return { documents, rejected, chunksWritten, chunksRemoved };
}

async function ingestOne(
  deps: IngestDeps,
  tenant: string,
  source: SourceDocument,
): Promise<{ document: IngestedDocument; written: number; removed: number }> {
  const { metadata, parsed } = parseSourceDocument(
    source,
    deps.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
  );
  const contentHash = sha256(
    PIPELINE_VERSION,
    deps.embedder.model,
    JSON.stringify(metadata),
    parsed.format,
    parsed.text,
  );
  const existing = deps.store.getDocument(tenant, metadata.id);
  if (existing?.contentHash === contentHash) {
    return {
      document: {
        documentId: metadata.id,
        status: 'unchanged',
        chunks: existing.chunkCount,
        flaggedChunks: 0,
      },
      written: 0,
      removed: 0,
    };
  }
  const drafts = chunkDocument(parsed, deps.chunking ?? DEFAULT_CHUNKING);
  if (drafts.length === 0)
    throw new DocumentRejection(['document produced no chunks']);
  const chunks: ChunkRecord[] = [];
  for (const [ordinal, draft] of drafts.entries()) {
    const hiddenContent = [
      ...new Set(
        parsed.hidden
          .filter(
            (range) =>
              range.start < draft.span.end && range.end > draft.span.start,
          )
          .map((range) => range.kind),
      ),
    ] as HiddenKind[];
    const verdict = await deps.scanner.scan(draft.text);
    chunks.push({
      id: `${metadata.id}#${ordinal}`,
      tenant,
      documentId: metadata.id,
      ordinal,
      title: metadata.title,
      sectionPath: draft.sectionPath,
      text: draft.text,
      span: draft.span,
      contentHash: sha256(draft.text),
      hiddenContent,
      injection: { flagged: verdict.flagged, reasons: [...verdict.reasons] },
    });
  }
  const vectors = await deps.embedder.embed(chunks.map(embeddingText));
  const payload = payloadOf(tenant, metadata);
  // Index first: if the store write then fails, the old hash stays and a retry redoes both.
  await deps.index.upsert(
    chunks.map((chunk, i) => ({
      id: chunk.id,
      vector: vectors[i] as Float32Array,
      payload,
    })),
  );
  const previousIds = existing ? deps.store.chunkIds(tenant, metadata.id) : [];
  const record: DocumentRecord = {
    tenant,
    metadata,
    format: parsed.format,
    sourceName: source.name,
    contentHash,
    text: parsed.text,
    chunkCount: chunks.length,
    ingestedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  deps.store.replaceDocument(record, chunks);
  const newIds = new Set(chunks.map((chunk) => chunk.id));
  const stale = previousIds.filter((id) => !newIds.has(id));
  await deps.index.delete(stale);
  const flaggedChunks = chunks.filter(
    (chunk) => chunk.injection.flagged,
  ).length;
  if (flaggedChunks > 0) {
    deps.logger.warn(
      { documentId: metadata.id, flaggedChunks },
      'prompt injection flagged at ingestion',
    );
  }
  return {
    document: {
      documentId: metadata.id,
      status: existing ? 'updated' : 'created',
      chunks: chunks.length,
      flaggedChunks,
    },
    written: chunks.length,
    removed: stale.length,
  };
}

/** The text a chunk is embedded as: its title and section path give the passage its context. */
export function embeddingText(
  chunk: Pick<ChunkRecord, 'title' | 'sectionPath' | 'text'>,
): string {
  return [chunk.title, chunk.sectionPath.join(' / '), chunk.text]
    .filter((part) => part !== '')
    .join('\n');
}

function payloadOf(tenant: string, metadata: DocumentMetadata): VectorPayload {
  return {
    documentId: metadata.id,
    tenant,
    visibility: metadata.visibility,
    type: metadata.type,
    products: metadata.products,
    competitors: metadata.competitors,
    industries: metadata.industries,
    regions: metadata.regions,
  };
}

/** Identifies a document to delete. */
export interface DeleteDocumentInput {
  readonly tenant: string;
  readonly documentId: string;
}

/**
 * Deletes a document and its chunks from the store and the index. Throws
 * `NOT_FOUND` when the tenant has no such document. (Whether the caller may
 * delete is decided before this call: content managers and admins.)
 */
export async function deleteDocument(
  deps: Pick<IngestDeps, 'store' | 'index' | 'logger'>,
  input: DeleteDocumentInput,
): Promise<{ readonly chunksRemoved: number }> {
  assertTenant(input.tenant);
  if (!deps.store.getDocument(input.tenant, input.documentId)) {
    throw new NotFoundError('document', input.documentId);
  }
  const ids = deps.store.chunkIds(input.tenant, input.documentId);
  await deps.index.delete(ids);
  deps.store.deleteDocument(input.tenant, input.documentId);
  await deps.index.flush();
  deps.logger.info(
    { documentId: input.documentId, chunks: ids.length },
    'document deleted',
  );
  return { chunksRemoved: ids.length };
}

function assertTenant(tenant: string): void {
  if (typeof tenant !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(tenant)) {
    throw new ValidationError([
      { field: 'tenant', message: 'must be a lower-case tenant id' },
    ]);
  }
}
