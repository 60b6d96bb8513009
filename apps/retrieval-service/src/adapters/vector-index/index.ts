import type { Logger } from 'pino';
import { HnswVectorIndex } from './hnsw-vector-index.js';
import type { VectorIndex } from './port.js';
import { QdrantVectorIndex } from './qdrant-vector-index.js';

/** How to build the vector index: Qdrant when `qdrantUrl` is set, else the embedded HNSW index. */
export interface VectorIndexConfig {
  readonly dimensions: number;
  /** Embedded index directory (under the data dir). */
  readonly dir?: string;
  readonly qdrantUrl?: string;
  readonly qdrantApiKey?: string;
  /** Qdrant collection; include the embedder model so a model change uses a fresh collection. */
  readonly qdrantCollection?: string;
}

/** Builds the configured vector index and logs which adapter was chosen. */
export function createVectorIndex(
  config: VectorIndexConfig,
  logger: Logger,
): VectorIndex {
  if (config.qdrantUrl) {
    const collection = config.qdrantCollection ?? 'fieldwise-collateral';
    logger.info(
      { adapter: 'qdrant', url: config.qdrantUrl, collection },
      'vector index adapter chosen',
    );
    return new QdrantVectorIndex({
      url: config.qdrantUrl,
      collection,
      dimensions: config.dimensions,
      logger,
      ...(config.qdrantApiKey ? { apiKey: config.qdrantApiKey } : {}),
    });
  }
  logger.info(
    { adapter: 'hnswlib', dir: config.dir ?? '(memory)' },
    'vector index adapter chosen',
  );
  return new HnswVectorIndex({
    dimensions: config.dimensions,
    logger,
    ...(config.dir ? { dir: config.dir } : {}),
  });
}

export type {
  VectorFilter,
  VectorHit,
  VectorIndex,
  VectorItem,
  VectorPayload,
} from './port.js';
export { HnswVectorIndex, type HnswOptions } from './hnsw-vector-index.js';
export {
  QdrantVectorIndex,
  toQdrantFilter,
  pointId,
  type QdrantOptions,
} from './qdrant-vector-index.js';
export { matchesFilter } from './filter.js';
