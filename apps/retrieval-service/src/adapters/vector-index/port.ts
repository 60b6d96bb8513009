import type { Visibility } from '../../domain/model.js';

/** What a vector point carries for filtering: the chunk's document attributes. */
export interface VectorPayload {
  readonly documentId: string;
  readonly tenant: string;
  readonly visibility: Visibility;
  readonly type: string;
  readonly products: readonly string[];
  readonly competitors: readonly string[];
  readonly industries: readonly string[];
  readonly regions: readonly string[];
}

/** One point: a chunk id, its vector and its payload. */
export interface VectorItem {
  readonly id: string;
  readonly vector: Float32Array;
  readonly payload: VectorPayload;
}

/**
 * A filter applied inside the search, before ranking and truncation. Every
 * present field must match: `tenant` exactly, `visibility` and `type` as one
 * of the values, list fields when the point lists any of the values, and
 * `regions` also when the point lists `global`. An empty `visibility` list
 * matches nothing.
 */
export interface VectorFilter {
  readonly tenant: string;
  readonly visibility: readonly Visibility[];
  readonly type?: readonly string[];
  readonly products?: readonly string[];
  readonly competitors?: readonly string[];
  readonly industries?: readonly string[];
  readonly regions?: readonly string[];
}

/** A search hit: chunk id and cosine similarity (higher is closer). */
export interface VectorHit {
  readonly id: string;
  readonly score: number;
}

/**
 * Nearest-neighbour index over chunk vectors (cosine). `upsert` replaces a
 * point with the same id; `delete` ignores unknown ids; `search` returns at
 * most `k` hits that all satisfy `filter`, best first.
 */
export interface VectorIndex {
  readonly name: string;
  upsert(items: readonly VectorItem[]): Promise<void>;
  delete(ids: readonly string[]): Promise<void>;
  search(
    vector: Float32Array,
    k: number,
    filter: VectorFilter,
  ): Promise<VectorHit[]>;
  /** Number of live points. */
  count(): Promise<number>;
  /** Persists pending changes (a no-op for servers that persist themselves). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
