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
  /** Search breadth; metadata-filtered walks deepen it by the filter's selectivity. */
  readonly efSearch?: number;
  /**
   * Scan exactly when at most this many points of a partition may match, and
   * walk the graph otherwise (0 always walks). Omitted, the choice is by
   * estimated cost, which scans small partitions and selective filters.
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
  /**
   * The partition's vectors, contiguous, one row per slot: an exact scan of
   * a partition or of a filter's matches reads nearby memory, not rows
   * scattered over the whole index. Every upsert takes a fresh slot and
   * kills the point's previous one, so postings never go stale in content.
   */
  block: Float32Array;
  slots: number;
  /** Slot → label. */
  slotLabels: Int32Array;
  /** Slot → 1 while the slot holds the point's current version. */
  alive: Uint8Array;
  /** `field\0value` → slots with that value, ascending (dead slots are skipped on read). */
  readonly postings: Map<string, number[]>;
  /** Per filter field ({@link FIELDS}): value → bit, for the first 32 values seen. */
  readonly bits: Map<string, number>[];
  /** Per filter field: true once a value found no free bit. */
  readonly overflow: boolean[];
  /** Per filter field: slot → bitmask of its values, a check without touching the payload. */
  masks: Uint32Array[];
}

/** The filterable payload fields, in the order of a partition's `bits` and `masks`. */
const FIELDS = [
  'type',
  'products',
  'competitors',
  'industries',
  'regions',
] as const;

/** The posting lists of one filtered field; `size` is their total length. */
interface FieldPostings {
  /** Index in {@link FIELDS}. */
  readonly field: number;
  readonly lists: readonly (readonly number[])[];
  readonly size: number;
  /** The bits of the wanted values. */
  readonly wanted: number;
  /** True when `wanted` decides the field for every slot (no wanted value lacks a bit). */
  readonly maskable: boolean;
}

/** How one partition is searched for one filter (see `plan`). */
interface Plan {
  /** The filtered fields' postings, smallest first (empty when unfiltered). */
  readonly fields: readonly FieldPostings[];
  /** Estimated matching points. */
  readonly estimate: number;
  /** Estimated cost of the exact scan, in dot products. */
  readonly scanCost: number;
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
/** Matching points a filtered graph walk aims to fetch, as a multiple of `k`. */
const OVERSAMPLE = 3;
/** Exact dot products that cost about as much as one unit of graph-walk breadth. */
const SCAN_ROWS_PER_EF = 6;
/** Cost of marking one posting entry, in dot products. */
const MARK_COST = 0.05;

/**
 * The embedded vector index: hnswlib-node HNSW graphs (cosine), one per
 * tenant and visibility class. Access control is structural: a search walks
 * only the graphs of the caller's tenant and visible classes, so a point the
 * caller may not see is never a candidate, a rank or a count. Metadata
 * filters (type, products, …) are planned per partition by estimated cost
 * from posting lists: a selective filter (or a small partition) is searched
 * exactly over only its matches, found by intersecting postings and per-slot
 * value bitmasks, with rows read from the partition's contiguous vector
 * block; a broad one walks the graph deep enough to hold about `3k` matches
 * at that selectivity and drops non-matching results before truncation,
 * deepening (or falling back to the exact scan) when too few match.
 * (hnswlib's in-walk filter callback crosses into JavaScript at every
 * visited node, which made filtered searches barely faster than brute
 * force.) Results of the searched partitions are merged by score. `flush()`
 * persists graphs, payloads and vectors under `dir`; blocks, postings and
 * bitmasks are rebuilt on load.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly name = 'hnswlib';
  private readonly dims: number;
  private readonly m: number;
  private readonly efConstruction: number;
  private readonly efSearch: number;
  private readonly exactThreshold: number | undefined;
  private vectors: Float32Array;
  private vectorCapacity = 1_024;
  private ids: (string | null)[] = [];
  private payloads: (VectorPayload | null)[] = [];
  /** Partition key of each label's last placement (kept after deletion for reuse). */
  private partitionOf: (string | null)[] = [];
  /** Slot of each live label in its partition's block (−1 when deleted). */
  private slotOf: number[] = [];
  private readonly partitions = new Map<string, Partition>();
  private readonly labelOf = new Map<string, number>();
  private liveCount = 0;
  /** Per-slot marks that intersect and deduplicate a scan's postings. */
  private seen = new Uint32Array(0);
  private stamp = 0;
  private dirty = false;

  constructor(private readonly options: HnswOptions) {
    this.dims = options.dimensions;
    this.m = options.m ?? 16;
    this.efConstruction = options.efConstruction ?? 100;
    this.efSearch = options.efSearch ?? 128;
    this.exactThreshold = options.exactThreshold;
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
        this.slotOf.push(-1);
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
      this.killSlot(label);
      this.addSlot(partition, label, vector, item.payload);
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
      this.killSlot(label);
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
    let queryArray: number[] | null = null;
    const hits: VectorHit[] = [];
    for (const visibility of new Set(filter.visibility)) {
      const partition = this.partitions.get(
        partitionKey({ tenant: filter.tenant, visibility }),
      );
      if (!partition || partition.live === 0) continue;
      const plan = this.plan(partition, filter);
      if (plan.fields[0]?.size === 0) continue;
      const depth = this.graphDepth(k, partition.live, plan.estimate);
      if (this.scansExactly(plan, depth)) {
        hits.push(...this.scanPartition(query, k, partition, plan));
        continue;
      }
      queryArray ??= Array.from(query);
      hits.push(
        ...this.walkGraph(
          queryArray,
          query,
          k,
          depth,
          partition,
          metadataFiltered ? filter : null,
          plan,
        ),
      );
    }
    return Promise.resolve(hits.sort((a, b) => b.score - a.score).slice(0, k));
  }

  /** Exact cosine search over every live point that matches `filter` (the benchmark's baseline). */
  exactSearch(
    query: Float32Array,
    k: number,
    filter?: VectorFilter,
  ): VectorHit[] {
    const normal = normalized(query);
    const top = new TopK(k);
    for (let label = 0; label < this.ids.length; label++) {
      const payload = this.payloads[label];
      if (!payload || (filter && !matchesFilter(payload, filter))) continue;
      top.offer(label, dotRow(this.vectors, label, normal));
    }
    return top.results((label) => this.ids[label] ?? '');
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

  /**
   * Post-filtered graph walk: asks the graph for the `depth` nearest points
   * of the partition and keeps those matching `filter`. When fewer than `k`
   * match, the walk deepens fourfold; once a walk would cost more than the
   * exact scan of the plan, that scan runs instead, so a search never
   * returns fewer hits than exist.
   */
  private walkGraph(
    queryArray: number[],
    query: Float32Array,
    k: number,
    depth: number,
    partition: Partition,
    filter: VectorFilter | null,
    plan: Plan,
  ): VectorHit[] {
    let n = Math.min(depth, partition.live);
    for (;;) {
      partition.graph.setEf(Math.max(this.efSearch, n));
      const result = partition.graph.searchKnn(queryArray, n);
      const hits: VectorHit[] = [];
      for (let i = 0; i < result.neighbors.length && hits.length < k; i++) {
        const label = result.neighbors[i] as number;
        const payload = this.payloads[label];
        if (!payload || this.partitionOf[label] !== partition.key) continue;
        if (filter && !this.matchesPlan(partition, label, plan, filter))
          continue;
        hits.push({
          id: this.ids[label] ?? '',
          score: 1 - (result.distances[i] ?? 1),
        });
      }
      if (hits.length >= k || n >= partition.live) return hits;
      n = Math.min(n * 4, partition.live);
      if (filter && this.scansExactly(plan, n))
        return this.scanPartition(query, k, partition, plan);
    }
  }

  /**
   * Exact search over the live slots of `partition` that match the plan:
   * every slot when unfiltered, else the intersection of the fields'
   * postings (each field's union of values), which is exactly the metadata
   * filter. Rows are read from the partition's contiguous block.
   */
  private scanPartition(
    query: Float32Array,
    k: number,
    partition: Partition,
    plan: Plan,
  ): VectorHit[] {
    const top = new TopK(k);
    const { block, alive } = partition;
    const [first, ...rest] = plan.fields;
    if (!first) {
      for (let slot = 0; slot < partition.slots; slot++)
        if (alive[slot] === 1) top.offer(slot, dotRow(block, slot, query));
    } else {
      const marked = rest.filter((field) => !field.maskable);
      const masked = rest.filter((field) => field.maskable);
      const masks = masked.map(
        (field) => partition.masks[field.field] as Uint32Array,
      );
      const wanted = masked.map((field) => field.wanted);
      this.prepareMarks(partition.slots);
      const seen = this.seen;
      let mark = ++this.stamp;
      for (const list of first.lists)
        for (const slot of list) seen[slot] = mark;
      for (const field of marked) {
        const next = ++this.stamp;
        for (const list of field.lists)
          for (const slot of list) if (seen[slot] === mark) seen[slot] = next;
        mark = next;
      }
      const done = ++this.stamp;
      for (const list of first.lists) {
        next: for (const slot of list) {
          if (seen[slot] !== mark) continue;
          seen[slot] = done;
          if (alive[slot] !== 1) continue;
          for (let m = 0; m < masks.length; m++)
            if ((masks[m]![slot]! & wanted[m]!) === 0) continue next;
          top.offer(slot, dotRow(block, slot, query));
        }
      }
    }
    return top.results(
      (slot) => this.ids[partition.slotLabels[slot] ?? -1] ?? '',
    );
  }

  /** True when `label` (live, in `partition`) passes the plan's fields; by bitmask when possible. */
  private matchesPlan(
    partition: Partition,
    label: number,
    plan: Plan,
    filter: VectorFilter,
  ): boolean {
    const slot = this.slotOf[label] ?? -1;
    if (slot < 0) return false;
    for (const field of plan.fields) {
      if (!field.maskable) {
        const payload = this.payloads[label];
        return (
          payload !== null &&
          payload !== undefined &&
          matchesFilter(payload, filter)
        );
      }
    }
    return plan.fields.every(
      (field) =>
        ((partition.masks[field.field]?.[slot] ?? 0) & field.wanted) !== 0,
    );
  }

  /** Sizes {@link seen} to `slots`, leaving room for one search's marks. */
  private prepareMarks(slots: number): void {
    if (this.seen.length < slots) {
      this.seen = new Uint32Array(Math.max(slots, 1_024) * 2);
      this.stamp = 0;
    } else if (this.stamp > 0xffffff00) {
      this.seen.fill(0);
      this.stamp = 0;
    }
  }

  /** Places `label`'s current version in a fresh slot of `partition`. */
  private addSlot(
    partition: Partition,
    label: number,
    vector: Float32Array,
    payload: VectorPayload,
  ): void {
    const slot = partition.slots++;
    if (slot >= partition.alive.length) {
      const capacity = Math.max(256, partition.alive.length * 2);
      const block = new Float32Array(capacity * this.dims);
      block.set(partition.block);
      partition.block = block;
      const slotLabels = new Int32Array(capacity);
      slotLabels.set(partition.slotLabels);
      partition.slotLabels = slotLabels;
      const alive = new Uint8Array(capacity);
      alive.set(partition.alive);
      partition.alive = alive;
      partition.masks = partition.masks.map((old) => {
        const grown = new Uint32Array(capacity);
        grown.set(old);
        return grown;
      });
    }
    partition.block.set(vector, slot * this.dims);
    partition.slotLabels[slot] = label;
    partition.alive[slot] = 1;
    FIELDS.forEach((field, f) => {
      const values = field === 'type' ? [payload.type] : payload[field];
      const bits = partition.bits[f] as Map<string, number>;
      let mask = 0;
      for (const value of new Set(values)) {
        const key = `${field}\u0000${value}`;
        let list = partition.postings.get(key);
        if (!list) {
          list = [];
          partition.postings.set(key, list);
        }
        list.push(slot);
        let bit = bits.get(value);
        if (bit === undefined && bits.size < 32) {
          bit = bits.size;
          bits.set(value, bit);
        }
        if (bit === undefined) partition.overflow[f] = true;
        else mask |= 1 << bit;
      }
      (partition.masks[f] as Uint32Array)[slot] = mask;
    });
    this.slotOf[label] = slot;
  }

  /** Retires `label`'s current slot, if it has one. */
  private killSlot(label: number): void {
    const slot = this.slotOf[label] ?? -1;
    const key = this.partitionOf[label];
    const partition = key ? this.partitions.get(key) : undefined;
    if (slot >= 0 && partition) partition.alive[slot] = 0;
    this.slotOf[label] = -1;
  }

  /**
   * How many nearest points a graph walk must fetch so that, at the
   * estimated share of matching points, about `OVERSAMPLE × k` of them match.
   */
  private graphDepth(k: number, live: number, estimate: number): number {
    if (estimate >= live) return k;
    return Math.min(
      live,
      Math.ceil((k * OVERSAMPLE * live) / Math.max(estimate, 1)),
    );
  }

  /**
   * Exact scan or graph walk, by estimated cost in dot products: a walk of
   * breadth `ef` costs about {@link SCAN_ROWS_PER_EF} × `ef` (native SIMD
   * distances over the graph's neighbour lists). A fixed `exactThreshold`
   * compares the estimated matches instead.
   */
  private scansExactly(plan: Plan, depth: number): boolean {
    if (this.exactThreshold !== undefined)
      return plan.estimate <= this.exactThreshold;
    return plan.scanCost <= SCAN_ROWS_PER_EF * Math.max(this.efSearch, depth);
  }

  /**
   * Plans the search of one partition: each filtered field's posting lists
   * (the union over its values) and the estimated matches, assuming
   * independent fields. The exact scan marks every field's postings and
   * computes dot products for the matches only.
   */
  private plan(partition: Partition, filter: VectorFilter): Plan {
    const live = partition.live;
    const fields: FieldPostings[] = [];
    FIELDS.forEach((field, f) => {
      const values = filter[field];
      if (!values || values.length === 0) return;
      const wanted = new Set(
        field === 'regions' ? [...values, 'global'] : values,
      );
      const bits = partition.bits[f] as Map<string, number>;
      let mask = 0;
      let maskable = true;
      for (const value of wanted) {
        const bit = bits.get(value);
        if (bit !== undefined) mask |= 1 << bit;
        else if (partition.overflow[f]) maskable = false;
      }
      const lists = [...wanted].map(
        (value) => partition.postings.get(`${field}\u0000${value}`) ?? [],
      );
      fields.push({
        field: f,
        lists,
        size: lists.reduce((sum, list) => sum + list.length, 0),
        wanted: mask,
        maskable,
      });
    });
    fields.sort((a, b) => a.size - b.size);
    const [first, ...rest] = fields;
    if (!first) return { fields, estimate: live, scanCost: live };
    let estimate = Math.min(first.size, live);
    let marking = 2 * first.size;
    for (const field of rest) {
      estimate *= Math.min(1, field.size / live);
      marking += field.maskable ? first.size : field.size;
    }
    return { fields, estimate, scanCost: MARK_COST * marking + estimate };
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
        ...emptyBlock(),
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
    this.slotOf = meta.ids.map(() => -1);
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
        ...emptyBlock(),
      };
      for (const label of stored.labels) {
        const payload = this.payloads[label];
        if (payload && this.partitionOf[label] === stored.key)
          this.addSlot(
            partition,
            label,
            this.vectors.subarray(label * this.dims, (label + 1) * this.dims),
            payload,
          );
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

function emptyBlock(): Pick<
  Partition,
  | 'block'
  | 'slots'
  | 'slotLabels'
  | 'alive'
  | 'postings'
  | 'bits'
  | 'overflow'
  | 'masks'
> {
  return {
    block: new Float32Array(0),
    slots: 0,
    slotLabels: new Int32Array(0),
    alive: new Uint8Array(0),
    postings: new Map(),
    bits: FIELDS.map(() => new Map<string, number>()),
    overflow: FIELDS.map(() => false),
    masks: FIELDS.map(() => new Uint32Array(0)),
  };
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
