import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@fieldwise/errors';
import hnswlib from 'hnswlib-node';
import type { Logger } from 'pino';
import { dotRow, normalized, TopK } from './exact-search.js';
import { matchesFilter } from './filter.js';
import type {
  VectorFilter,
  VectorHit,
  VectorIndex,
  VectorItem,
  VectorPayload,
} from './port.js';

/** Tuning of the embedded HNSW index. */
export interface HnswOptions {
  readonly dimensions: number;
  /** Directory for the index files; omit for an in-memory index. */
  readonly dir?: string;
  readonly logger: Logger;
  /** Graph degree (hnswlib `M`). */
  readonly m?: number;
  readonly efConstruction?: number;
  /** Search breadth; metadata-filtered searches widen it by the filter's selectivity. */
  readonly efSearch?: number;
  /**
   * When a partition holds at most this many points that may match, they are
   * scanned exactly instead of walking the graph (a walk through mostly
   * filtered-out nodes loses recall and is no faster).
   */
  readonly exactThreshold?: number;
}

interface Partition {
  readonly key: string;
  readonly graph: hnswlib.HierarchicalNSW;
  capacity: number;
  /** Labels ever placed in this partition (live or deleted). */
  readonly labels: number[];
  live: number;
  /** `field\0value` → labels placed here with that value (may hold stale labels; checked on read). */
  readonly postings: Map<string, number[]>;
}

interface Meta {
  readonly version: 2;
  readonly dimensions: number;
  readonly ids: (string | null)[];
  readonly payloads: (VectorPayload | null)[];
  readonly partitionOf: (string | null)[];
  readonly partitions: {
    readonly key: string;
    readonly file: string;
    readonly labels: number[];
  }[];
}

const META_FILE = 'hnsw.meta.json';
const VECTORS_FILE = 'hnsw.vectors.f32';

/**
 * The embedded vector index: hnswlib-node HNSW graphs (cosine), one per
 * tenant and visibility class. Access control is structural: a search walks
 * only the graphs of the caller's tenant and visible classes, so a point the
 * caller may not see is never a candidate, a rank or a count. Metadata
 * filters (type, products, …) run inside the graph walk through hnswlib's
 * filter callback, or as an exact scan when few points can match. Results of
 * the searched partitions are merged by score. `flush()` persists graphs,
 * payloads and vectors under `dir`.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly name = 'hnswlib';
  private readonly dims: number;
  private readonly m: number;
  private readonly efConstruction: number;
  private readonly efSearch: number;
  private readonly exactThreshold: number;
  private vectors: Float32Array;
  private vectorCapacity = 1_024;
  private ids: (string | null)[] = [];
  private payloads: (VectorPayload | null)[] = [];
  /** Partition key of each label's last placement (kept after deletion for reuse). */
  private partitionOf: (string | null)[] = [];
  private readonly partitions = new Map<string, Partition>();
  private readonly labelOf = new Map<string, number>();
  private liveCount = 0;
  private dirty = false;

  constructor(private readonly options: HnswOptions) {
    this.dims = options.dimensions;
    this.m = options.m ?? 16;
    this.efConstruction = options.efConstruction ?? 100;
    this.efSearch = options.efSearch ?? 128;
    this.exactThreshold = options.exactThreshold ?? 10_000;
    this.vectors = new Float32Array(this.vectorCapacity * this.dims);
    if (options.dir && existsSync(join(options.dir, META_FILE)))
      this.load(options.dir);
  }

  upsert(items: readonly VectorItem[]): Promise<void> {
    for (const item of items) {
      if (item.vector.length !== this.dims)
        return Promise.reject(this.dimensionError(item.vector));
    }
    for (const item of items) {
      const vector = normalized(item.vector);
      const key = partitionKey(item.payload);
      let label = this.labelOf.get(item.id);
      if (label === undefined) {
        label = this.ids.length;
        this.ensureVectorCapacity(label + 1);
        this.ids.push(item.id);
        this.payloads.push(null);
        this.partitionOf.push(null);
        this.labelOf.set(item.id, label);
      }
      const previous = this.payloads[label] ?? null;
      const previousKey = this.partitionOf[label] ?? null;
      if (previous && previousKey !== key) this.removeFromPartition(label);
      this.vectors.set(vector, label * this.dims);
      const partition = this.partition(key);
      if (previousKey !== key) {
        if (previousKey !== null) this.forgetLabel(previousKey, label);
        this.ensureGraphCapacity(partition, partition.labels.length + 1);
        partition.labels.push(label);
        partition.graph.addPoint(Array.from(vector), label);
        partition.live++;
      } else if (previous) {
        partition.graph.addPoint(Array.from(vector), label); // updates the point in place
      } else {
        partition.graph.unmarkDelete(label);
        partition.graph.addPoint(Array.from(vector), label);
        partition.live++;
      }
      if (!previous) this.liveCount++;
      if (
        !previous ||
        previousKey !== key ||
        !samePostings(previous, item.payload)
      ) {
        addPostings(partition, item.payload, label);
      }
      this.payloads[label] = item.payload;
      this.partitionOf[label] = key;
    }
    this.dirty ||= items.length > 0;
    return Promise.resolve();
  }

  delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const label = this.labelOf.get(id);
      const payload = label === undefined ? null : this.payloads[label];
      if (label === undefined || !payload) continue;
      this.removeFromPartition(label);
      this.payloads[label] = null;
      this.liveCount--;
      this.dirty = true;
    }
    return Promise.resolve();
  }

  search(
    vector: Float32Array,
    k: number,
    filter: VectorFilter,
  ): Promise<VectorHit[]> {
    if (vector.length !== this.dims)
      return Promise.reject(this.dimensionError(vector));
    if (k <= 0 || filter.visibility.length === 0) return Promise.resolve([]);
    const query = normalized(vector);
    const metadataFiltered = hasMetadataFilter(filter);
    const hits: VectorHit[] = [];
    for (const visibility of new Set(filter.visibility)) {
      const partition = this.partitions.get(
        partitionKey({ tenant: filter.tenant, visibility }),
      );
      if (!partition || partition.live === 0) continue;
      let ef = this.efSearch;
      if (metadataFiltered) {
        const candidates = this.candidates(partition, filter);
        if (candidates.size <= this.exactThreshold) {
          hits.push(...this.scan(query, k, candidates, filter, partition.key));
          continue;
        }
        ef = Math.ceil(
          this.efSearch / Math.max(candidates.size / partition.live, 0.02),
        );
      }
      partition.graph.setEf(Math.min(2_000, Math.max(k, ef)));
      const result = metadataFiltered
        ? partition.graph.searchKnn(
            Array.from(query),
            Math.min(k, partition.live),
            (label) => {
              const payload = this.payloads[label];
              return (
                payload !== null &&
                payload !== undefined &&
                matchesFilter(payload, filter)
              );
            },
          )
        : partition.graph.searchKnn(
            Array.from(query),
            Math.min(k, partition.live),
          );
      result.neighbors.forEach((label, i) => {
        hits.push({
          id: this.ids[label] ?? '',
          score: 1 - (result.distances[i] ?? 1),
        });
      });
    }
    return Promise.resolve(hits.sort((a, b) => b.score - a.score).slice(0, k));
  }

  /** Exact cosine search over every live point that matches `filter` (the benchmark's baseline). */
  exactSearch(
    query: Float32Array,
    k: number,
    filter?: VectorFilter,
  ): VectorHit[] {
    const labels: number[] = [];
    for (let label = 0; label < this.ids.length; label++) labels.push(label);
    return this.scan(normalized(query), k, labels, filter);
  }

  count(): Promise<number> {
    return Promise.resolve(this.liveCount);
  }

  flush(): Promise<void> {
    const dir = this.options.dir;
    if (!dir || !this.dirty) return Promise.resolve();
    mkdirSync(dir, { recursive: true });
    const partitions = [...this.partitions.values()].map((partition, i) => ({
      partition,
      file: `hnsw.${i}.index`,
    }));
    const meta: Meta = {
      version: 2,
      dimensions: this.dims,
      ids: this.ids,
      payloads: this.payloads,
      partitionOf: this.partitionOf,
      partitions: partitions.map(({ partition, file }) => ({
        key: partition.key,
        file,
        labels: partition.labels,
      })),
    };
    // Temporaries then renames: the meta file is written last, so a crash leaves the previous set.
    for (const { partition, file } of partitions)
      partition.graph.writeIndexSync(join(dir, `${file}.tmp`));
    writeFileSync(
      join(dir, `${VECTORS_FILE}.tmp`),
      Buffer.from(this.vectors.buffer, 0, this.ids.length * this.dims * 4),
    );
    writeFileSync(join(dir, `${META_FILE}.tmp`), JSON.stringify(meta));
    for (const { file } of partitions)
      renameSync(join(dir, `${file}.tmp`), join(dir, file));
    renameSync(join(dir, `${VECTORS_FILE}.tmp`), join(dir, VECTORS_FILE));
    renameSync(join(dir, `${META_FILE}.tmp`), join(dir, META_FILE));
    rmSync(join(dir, 'hnsw.index'), { force: true });
    this.dirty = false;
    this.options.logger.debug(
      { dir, points: this.liveCount, partitions: partitions.length },
      'vector index persisted',
    );
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private scan(
    query: Float32Array,
    k: number,
    labels: Iterable<number>,
    filter?: VectorFilter,
    partitionKey?: string,
  ): VectorHit[] {
    const top = new TopK(k);
    for (const label of labels) {
      const payload = this.payloads[label];
      if (!payload) continue;
      if (
        partitionKey !== undefined &&
        this.partitionOf[label] !== partitionKey
      )
        continue;
      if (filter && !matchesFilter(payload, filter)) continue;
      top.offer(label, dotRow(this.vectors, label, query));
    }
    return top.results((label) => this.ids[label] ?? '');
  }

  /**
   * Labels of `partition` that may match the metadata filter: the postings of
   * the filter field with the fewest of them (a superset; `scan` checks the
   * whole filter).
   */
  private candidates(partition: Partition, filter: VectorFilter): Set<number> {
    let best: number[][] | null = null;
    let bestSize = Infinity;
    const fields: [string, readonly string[] | undefined, string[]][] = [
      ['type', filter.type, []],
      ['products', filter.products, []],
      ['competitors', filter.competitors, []],
      ['industries', filter.industries, []],
      ['regions', filter.regions, ['global']],
    ];
    for (const [field, values, extra] of fields) {
      if (!values || values.length === 0) continue;
      const lists = [...new Set([...values, ...extra])].map(
        (value) => partition.postings.get(`${field}\u0000${value}`) ?? [],
      );
      const size = lists.reduce((sum, list) => sum + list.length, 0);
      if (size < bestSize) {
        best = lists;
        bestSize = size;
      }
    }
    const result = new Set<number>();
    for (const list of best ?? [partition.labels])
      for (const label of list) result.add(label);
    return result;
  }

  private partition(key: string): Partition {
    let partition = this.partitions.get(key);
    if (!partition) {
      const graph = new hnswlib.HierarchicalNSW('cosine', this.dims);
      graph.initIndex(256, this.m, this.efConstruction, 100);
      partition = {
        key,
        graph,
        capacity: 256,
        labels: [],
        live: 0,
        postings: new Map(),
      };
      this.partitions.set(key, partition);
    }
    return partition;
  }

  private removeFromPartition(label: number): void {
    const key = this.partitionOf[label];
    const partition = key ? this.partitions.get(key) : undefined;
    if (!partition || !this.payloads[label]) return;
    partition.graph.markDelete(label);
    partition.live--;
  }

  /** Drops a label from a partition's scan list after it moved elsewhere (it stays deleted in that graph). */
  private forgetLabel(key: string, label: number): void {
    const partition = this.partitions.get(key);
    if (!partition) return;
    const at = partition.labels.indexOf(label);
    if (at >= 0) partition.labels.splice(at, 1);
  }

  private load(dir: string): void {
    const meta = JSON.parse(readFileSync(join(dir, META_FILE), 'utf8')) as Meta;
    if (meta.version !== 2 || meta.dimensions !== this.dims) {
      throw new ValidationError([
        {
          field: 'dimensions',
          message: `index in ${dir} is version ${meta.version} with ${meta.dimensions} dimensions; expected version 2 with ${this.dims}`,
        },
      ]);
    }
    const raw = readFileSync(join(dir, VECTORS_FILE));
    this.ensureVectorCapacity(meta.ids.length);
    this.vectors.set(
      new Float32Array(
        raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength),
      ),
    );
    this.ids = meta.ids;
    this.payloads = meta.payloads;
    this.partitionOf = meta.partitionOf;
    for (const stored of meta.partitions) {
      const graph = new hnswlib.HierarchicalNSW('cosine', this.dims);
      graph.readIndexSync(join(dir, stored.file));
      const live = stored.labels.filter(
        (label) =>
          this.payloads[label] && this.partitionOf[label] === stored.key,
      ).length;
      const partition: Partition = {
        key: stored.key,
        graph,
        capacity: graph.getMaxElements(),
        labels: stored.labels,
        live,
        postings: new Map(),
      };
      for (const label of stored.labels) {
        const payload = this.payloads[label];
        if (payload && this.partitionOf[label] === stored.key)
          addPostings(partition, payload, label);
      }
      this.partitions.set(stored.key, partition);
    }
    this.ids.forEach((id, label) => {
      if (id === null) return;
      this.labelOf.set(id, label);
      if (this.payloads[label]) this.liveCount++;
    });
  }

  private ensureVectorCapacity(needed: number): void {
    if (needed <= this.vectorCapacity) return;
    let next = this.vectorCapacity;
    while (next < needed) next *= 2;
    const vectors = new Float32Array(next * this.dims);
    vectors.set(this.vectors);
    this.vectors = vectors;
    this.vectorCapacity = next;
  }

  private ensureGraphCapacity(partition: Partition, needed: number): void {
    if (needed <= partition.capacity) return;
    let next = partition.capacity;
    while (next < needed) next *= 2;
    partition.graph.resizeIndex(next);
    partition.capacity = next;
  }

  private dimensionError(vector: Float32Array): ValidationError {
    return new ValidationError([
      {
        field: 'vector',
        message: `has ${vector.length} dimensions; the index has ${this.dims}`,
      },
    ]);
  }
}

function postingKeys(payload: VectorPayload): string[] {
  const keys = [`type\u0000${payload.type}`];
  for (const field of [
    'products',
    'competitors',
    'industries',
    'regions',
  ] as const) {
    for (const value of new Set(payload[field]))
      keys.push(`${field}\u0000${value}`);
  }
  return keys;
}

function addPostings(
  partition: Partition,
  payload: VectorPayload,
  label: number,
): void {
  for (const key of postingKeys(payload)) {
    let list = partition.postings.get(key);
    if (!list) {
      list = [];
      partition.postings.set(key, list);
    }
    list.push(label);
  }
}

function samePostings(a: VectorPayload, b: VectorPayload): boolean {
  return postingKeys(a).join('\u0001') === postingKeys(b).join('\u0001');
}

function partitionKey(
  payload: Pick<VectorPayload, 'tenant' | 'visibility'>,
): string {
  return `${payload.tenant}\u0000${payload.visibility}`;
}

function hasMetadataFilter(filter: VectorFilter): boolean {
  return [
    filter.type,
    filter.products,
    filter.competitors,
    filter.industries,
    filter.regions,
  ].some((values) => values !== undefined && values.length > 0);
}
