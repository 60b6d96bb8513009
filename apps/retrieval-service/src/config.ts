import { resolve } from 'node:path';
import { z } from 'zod';
import {
  baseServiceEnv,
  bool,
  duration,
  int,
  loadConfig,
  oneOf,
  optionalSecret,
  optionalText,
  optionalUrl,
  port,
  text,
} from '@fieldwise/config';

/** The repository root, for defaults that point into the repo (the corpus). */
const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** Every environment variable the retrieval service reads. */
export const retrievalEnvSchema = z.object({
  ...baseServiceEnv,
  GRPC_PORT: port(50053).describe('gRPC port of the retrieval service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
  METRICS_PORT: port(9463).describe(
    'HTTP port of GET /metrics (Prometheus), /healthz and /readyz of the retrieval service (0: any free port). A port that cannot be bound disables them with a warning.',
  ),
  QDRANT_URL: optionalUrl({ protocols: ['http:', 'https:'] }).describe(
    'Qdrant base URL (e.g. http://qdrant:6333). Set: vectors live in Qdrant. Unset: the embedded HNSW index under the data dir.',
  ),
  QDRANT_API_KEY: optionalSecret().describe(
    'API key sent to Qdrant (`api-key` header). Unset: no key (a local Qdrant without auth).',
  ),
  QDRANT_COLLECTION: optionalText().describe(
    'Qdrant collection name. Unset: `fieldwise-collateral-<embedding model>`, so changing the model starts a fresh collection instead of mixing vector spaces.',
  ),
  RETRIEVAL_EMBEDDER: oneOf(['auto', 'local', 'openai'], 'auto').describe(
    'Embeddings adapter: `local` (pretrained word vectors, no network), `openai` (the embeddings API; needs OPENAI_API_KEY), or `auto` (openai when OPENAI_API_KEY is set, else local).',
  ),
  OPENAI_API_KEY: optionalSecret().describe(
    'API key of the OpenAI (or OpenAI-compatible) embeddings endpoint. Setting it selects the OpenAI embedder when RETRIEVAL_EMBEDDER is auto.',
  ),
  OPENAI_BASE_URL: optionalUrl({ protocols: ['http:', 'https:'] }).describe(
    'Base URL of an OpenAI-compatible server (vLLM, TEI, Ollama), e.g. http://tei:8080/v1. Unset: api.openai.com.',
  ),
  EMBEDDINGS_MODEL: text('text-embedding-3-small').describe(
    'Embedding model name for the OpenAI embedder; stored with each document hash, so a change re-embeds on the next ingestion.',
  ),
  EMBEDDINGS_DIMENSIONS: int(1, 16_384)
    .optional()
    .describe(
      'Vector length of the OpenAI embedder; every response is checked against it. Unset: the known size of EMBEDDINGS_MODEL (text-embedding-3-small 1536, text-embedding-3-large 3072, text-embedding-ada-002 1536). Set for a text-embedding-3 model: the server is asked to shorten vectors to it.',
    ),
  RETRIEVAL_EMBEDDINGS_CACHE_DIR: optionalText().describe(
    'Directory of the converted word-vector cache of the local embedder (about 40 MB, built once from the npm package on first start). Unset: `<FIELDWISE_DATA_DIR>/cache`.',
  ),
  RETRIEVAL_CORPUS_DIR: text('data/collateral').describe(
    'Collateral directory ingested into tenant `lumen` on first start (when the store holds no document); a relative path resolves against the repository root.',
  ),
  RETRIEVAL_INGEST_ON_START: bool(true).describe(
    'Ingest RETRIEVAL_CORPUS_DIR on start when the store is empty. The server binds (and reports SERVING) only after that ingestion, so readiness means the index is loaded.',
  ),
  RETRIEVAL_MAX_DOCUMENT_BYTES: int(
    1,
    256 * 1024 * 1024,
    20 * 1024 * 1024,
  ).describe(
    'Largest source document accepted by ingestion, in bytes; a larger one is rejected with a reason while the rest of its batch ingests.',
  ),
});

/** The corpus directory of the configuration as an absolute path. */
export function corpusDirOf(config: {
  readonly RETRIEVAL_CORPUS_DIR: string;
}): string {
  return resolve(REPO_ROOT, config.RETRIEVAL_CORPUS_DIR);
}

/** The retrieval service's validated, frozen configuration. */
export type RetrievalConfig = ReturnType<typeof loadRetrievalConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadRetrievalConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(retrievalEnvSchema, env);
}
