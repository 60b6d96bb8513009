import { createHash } from 'node:crypto';
import {
  DependencyUnavailableError,
  FieldwiseError,
  ValidationError,
} from '@fieldwise/errors';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { Logger } from 'pino';
import type {
  VectorFilter,
  VectorHit,
  VectorIndex,
  VectorItem,
  VectorPayload,
} from './port.js';

/** Connection and layout of the Qdrant collection. */
export interface QdrantOptions {
  readonly url: string;
  readonly apiKey?: string;
  readonly collection: string;
  readonly dimensions: number;
  readonly logger: Logger;
  /** Points per upsert request. */
  readonly batchSize?: number;
}

/** Payload fields with a keyword index, so filtered search stays fast and exact. */
export const QDRANT_INDEXED_FIELDS = [
  'tenant',
  'visibility',
  'type',
  'products',
  'competitors',
  'industries',
  'regions',
  'documentId',
] as const;

type QdrantCondition = {
  key: string;
  match: { value: string } | { any: string[] };
};
type QdrantFilter = { must: QdrantCondition[] };

/**
 * The production vector index: a Qdrant collection with cosine distance and
 * keyword payload indexes. Chunk ids map to deterministic UUIDs (Qdrant
 * accepts only integers and UUIDs) and travel in the payload as `chunkId`.
 * The scope and metadata filter is a Qdrant filter evaluated by the server
 * during the HNSW search, before the limit applies.
 */
export class QdrantVectorIndex implements VectorIndex {
  readonly name = 'qdrant';
  private readonly client: QdrantClient;
  private ready: Promise<void> | null = null;

  constructor(private readonly options: QdrantOptions) {
    this.client = new QdrantClient({
      url: options.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      checkCompatibility: false,
    });
  }

  async upsert(items: readonly VectorItem[]): Promise<void> {
    for (const item of items) this.checkDimensions(item.vector);
    await this.ensureCollection();
    const batch = this.options.batchSize ?? 256;
    for (let i = 0; i < items.length; i += batch) {
      const points = items.slice(i, i + batch).map((item) => ({
        id: pointId(item.id),
        vector: Array.from(item.vector),
        payload: { ...item.payload, chunkId: item.id },
      }));
      await this.call('upsert', () =>
        this.client.upsert(this.options.collection, { wait: true, points }),
      );
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ensureCollection();
    await this.call('delete', () =>
      this.client.delete(this.options.collection, {
        wait: true,
        points: ids.map(pointId),
      }),
    );
  }

  async search(
    vector: Float32Array,
    k: number,
    filter: VectorFilter,
  ): Promise<VectorHit[]> {
    this.checkDimensions(vector);
    if (k <= 0 || filter.visibility.length === 0) return [];
    await this.ensureCollection();
    const hits = await this.call('search', () =>
      this.client.search(this.options.collection, {
        vector: Array.from(vector),
        limit: k,
        filter: toQdrantFilter(filter),
        with_payload: ['chunkId'],
      }),
    );
    return hits.map((hit) => ({
      id: chunkIdOf(hit.payload, hit.id),
      score: hit.score,
    }));
  }

  async count(): Promise<number> {
    await this.ensureCollection();
    const result = await this.call('count', () =>
      this.client.count(this.options.collection, { exact: true }),
    );
    return result.count;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Creates the collection and payload indexes once; an existing one must have our dimensions. */
  private ensureCollection(): Promise<void> {
    this.ready ??= this.createIfMissing().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private async createIfMissing(): Promise<void> {
    const { collection, dimensions, logger } = this.options;
    const exists = await this.call('collectionExists', () =>
      this.client.collectionExists(collection),
    );
    if (exists.exists) {
      const info = await this.call('getCollection', () =>
        this.client.getCollection(collection),
      );
      const vectors = info.config.params.vectors as
        { size?: number } | undefined;
      if (vectors?.size !== undefined && vectors.size !== dimensions) {
        throw new FieldwiseError(
          'CONFIG_INVALID',
          `Qdrant collection '${collection}' has ${vectors.size} dimensions; the embedder has ${dimensions}`,
        );
      }
    } else {
      logger.info({ collection, dimensions }, 'creating Qdrant collection');
      await this.call('createCollection', () =>
        this.client.createCollection(collection, {
          vectors: { size: dimensions, distance: 'Cosine' },
        }),
      );
    }
    for (const field of QDRANT_INDEXED_FIELDS) {
      await this.call('createPayloadIndex', () =>
        this.client.createPayloadIndex(collection, {
          field_name: field,
          field_schema: 'keyword',
          wait: true,
        }),
      );
    }
  }

  private checkDimensions(vector: Float32Array): void {
    if (vector.length !== this.options.dimensions) {
      throw new ValidationError([
        {
          field: 'vector',
          message: `has ${vector.length} dimensions; the index has ${this.options.dimensions}`,
        },
      ]);
    }
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof FieldwiseError) throw error;
      this.options.logger.warn({ err: error, operation }, 'Qdrant call failed');
      throw new DependencyUnavailableError('qdrant', error);
    }
  }
}

function chunkIdOf(payload: unknown, fallback: string | number): string {
  const chunkId = (payload as { chunkId?: unknown } | null | undefined)
    ?.chunkId;
  return typeof chunkId === 'string' ? chunkId : String(fallback);
}

/** The Qdrant filter equivalent to {@link VectorFilter}'s semantics. */
export function toQdrantFilter(filter: VectorFilter): QdrantFilter {
  const must: QdrantCondition[] = [
    { key: 'tenant', match: { value: filter.tenant } },
    { key: 'visibility', match: { any: [...filter.visibility] } },
  ];
  const anyOf = (
    key: keyof VectorPayload,
    values: readonly string[] | undefined,
    extra: string[] = [],
  ): void => {
    if (values && values.length > 0)
      must.push({ key, match: { any: [...new Set([...values, ...extra])] } });
  };
  anyOf('type', filter.type);
  anyOf('products', filter.products);
  anyOf('competitors', filter.competitors);
  anyOf('industries', filter.industries);
  anyOf('regions', filter.regions, ['global']);
  return { must };
}

/** A deterministic UUID (SHA-256 based, version nibble 5-style) for a chunk id. */
export function pointId(chunkId: string): string {
  const hex = createHash('sha256').update(chunkId).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
