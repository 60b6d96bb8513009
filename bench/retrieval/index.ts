// Embedded vector index (hnswlib-node graphs per tenant and visibility class,
// metadata filters planned by selectivity) against exact brute-force search
// over the same vectors, in the same run: recall@10 and queries per second,
// for access-control scopes alone and with metadata filters; plus ingestion
// throughput of the full pipeline and of index building.
// Usage: npx tsx bench/retrieval/index.ts [--points N] [--queries N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { WordVectorEmbedder } from '../../apps/retrieval-service/src/adapters/embeddings/word-vector-embedder.js';
import { readSources } from '../../apps/retrieval-service/src/adapters/files/collateral-directory.js';
import { SqliteDocumentStore } from '../../apps/retrieval-service/src/adapters/store/sqlite-document-store.js';
import { matchesFilter } from '../../apps/retrieval-service/src/adapters/vector-index/filter.js';
import { HnswVectorIndex } from '../../apps/retrieval-service/src/adapters/vector-index/hnsw-vector-index.js';
import type {
  VectorFilter,
  VectorHit,
  VectorPayload,
} from '../../apps/retrieval-service/src/adapters/vector-index/port.js';
import { ingestDocuments } from '../../apps/retrieval-service/src/domain/ingest.js';
import type { InjectionScanner } from '../../apps/retrieval-service/src/domain/injection-scanner.js';
import {
  DOCUMENT_TYPES,
  type Visibility,
} from '../../apps/retrieval-service/src/domain/model.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '150' },
  },
});
const POINTS = Number(values.points);
const QUERIES = Number(values.queries);
const K = 10;
const root = resolve(import.meta.dirname, '../..');
const logger = pino({ level: 'silent' });
const cacheDir = join(root, 'apps/retrieval-service/.data/cache');

// Deterministic pseudo-random numbers (mulberry32) so runs are comparable.
let seed = 20260401;
function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const started = performance.now();
const embedder = WordVectorEmbedder.open({ cacheDir, logger });
console.log(
  `word vectors loaded in ${((performance.now() - started) / 1000).toFixed(1)} s (${embedder.model}, ${embedder.dimensions} dims)`,
);

// 1. Full ingestion pipeline throughput on the real corpus (parse, chunk, scan, embed, index, store).
const { documents } = readSources(join(root, 'data/collateral'));
const noScan: InjectionScanner = {
  scan: () => ({ flagged: false, reasons: [] }),
};
const pipelineDir = mkdtempSync(join(tmpdir(), 'retrieval-bench-'));
const pipelineStore = new SqliteDocumentStore(
  join(pipelineDir, 'retrieval.sqlite'),
);
const pipelineIndex = new HnswVectorIndex({
  dimensions: embedder.dimensions,
  dir: join(pipelineDir, 'vectors'),
  logger,
});
let pipelineChunks = 0;
const pipelineStart = performance.now();
for (const tenant of ['t1', 't2', 't3', 't4', 't5']) {
  const report = await ingestDocuments(
    {
      store: pipelineStore,
      index: pipelineIndex,
      embedder,
      scanner: noScan,
      logger,
    },
    { tenant, documents },
  );
  pipelineChunks += report.chunksWritten;
}
const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
const pipelineRate = pipelineChunks / pipelineSeconds;
console.log(
  `ingestion pipeline: ${pipelineChunks} chunks (71 documents x 5 tenants) in ${pipelineSeconds.toFixed(2)} s = ${pipelineRate.toFixed(0)} chunks/s`,
);
const corpusTexts = pipelineStore
  .getChunks(
    pipelineStore
      .listDocumentIds('t1')
      .flatMap((id) => pipelineStore.chunkIds('t1', id)),
    {
      tenant: 't1',
      roles: [],
      visibleClasses: ['public', 'internal', 'partner', 'confidential'],
    },
  )
  .map((c) => c.chunk.text);
await pipelineIndex.close();
pipelineStore.close();
rmSync(pipelineDir, { recursive: true, force: true });

// 2. Synthetic chunk texts: sentences of the corpus recombined with GOLD-like account phrases.
const domain = JSON.parse(
  readFileSync(join(root, 'data/domain.json'), 'utf8'),
) as {
  anchorAccounts: { name: string }[];
  productLines: { id: string; name: string }[];
  competitors: (string | { name: string })[];
  industries: string[];
};
const sentences = corpusTexts
  .flatMap((t) => t.split(/(?<=[.!?])\s+/))
  .filter((s) => s.length > 30);
const accounts = domain.anchorAccounts.map((a) => a.name);
const products = domain.productLines.map((p) => p.id);
const productNames = domain.productLines.map((p) => p.name);
const competitors = domain.competitors.map((c) =>
  typeof c === 'string' ? c : c.name,
);
const stages = [
  'Discovery',
  'Qualification',
  'Proposal',
  'Negotiation',
  'Closed Won',
];
function syntheticText(): string {
  const parts = [
    `${pick(accounts)} is evaluating ${pick(productNames)} against ${pick(competitors)} in ${pick(domain.industries)}; the opportunity is in ${pick(stages)}.`,
  ];
  const count = 2 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) parts.push(pick(sentences));
  return parts.join(' ');
}
const visibilities: Visibility[] = [
  'public',
  'internal',
  'internal',
  'partner',
  'confidential',
];
function syntheticPayload(i: number): VectorPayload {
  return {
    documentId: `doc-${Math.floor(i / 8)}`,
    tenant: random() < 0.9 ? 'lumen' : 'northstar',
    visibility: pick(visibilities),
    type: pick(DOCUMENT_TYPES),
    products: [pick(products)],
    competitors: random() < 0.4 ? [pick(competitors)] : [],
    industries: [pick(domain.industries)],
    regions: [pick(['AMER', 'EMEA', 'APJ', 'global'])],
  };
}

const embedStart = performance.now();
const vectors: Float32Array[] = [];
const payloads: VectorPayload[] = [];
for (let i = 0; i < POINTS; i++) {
  vectors.push(embedder.embedOne(syntheticText()));
  payloads.push(syntheticPayload(i));
}
const embedSeconds = (performance.now() - embedStart) / 1000;
console.log(
  `embedded ${POINTS} synthetic chunks in ${embedSeconds.toFixed(1)} s = ${(POINTS / embedSeconds).toFixed(0)} chunks/s`,
);

// 3. Build the embedded index.
const indexDir = mkdtempSync(join(tmpdir(), 'retrieval-bench-index-'));
const index = new HnswVectorIndex({
  dimensions: embedder.dimensions,
  dir: indexDir,
  logger,
});
const buildStart = performance.now();
const BATCH = 1_000;
for (let i = 0; i < POINTS; i += BATCH) {
  await index.upsert(
    vectors.slice(i, i + BATCH).map((vector, j) => ({
      id: `chunk-${i + j}`,
      vector,
      payload: payloads[i + j] as VectorPayload,
    })),
  );
}
const buildSeconds = (performance.now() - buildStart) / 1000;
const buildRate = POINTS / buildSeconds;
const flushStart = performance.now();
await index.flush();
console.log(
  `index build: ${POINTS} vectors in ${buildSeconds.toFixed(1)} s = ${buildRate.toFixed(0)} chunks/s; persisted in ${((performance.now() - flushStart) / 1000).toFixed(1)} s`,
);

// 4. Queries: seller-style texts (not in the index), unfiltered and filtered.
const queryTexts = Array.from({ length: QUERIES }, () =>
  syntheticText().split(' ').slice(0, 12).join(' '),
);
const queryVectors = queryTexts.map((text) => embedder.embedOne(text));
const all: VectorFilter = {
  tenant: 'lumen',
  visibility: ['public', 'internal', 'partner', 'confidential'],
};
const scenarios: {
  name: string;
  filtered: boolean;
  filter: (i: number) => VectorFilter;
}[] = [
  { name: 'admin scope (tenant only)', filtered: false, filter: () => all },
  {
    name: 'seller scope (no confidential)',
    filtered: false,
    filter: () => ({ ...all, visibility: ['public', 'internal', 'partner'] }),
  },
  {
    name: 'partner scope (public + partner)',
    filtered: false,
    filter: () => ({ ...all, visibility: ['public', 'partner'] }),
  },
  {
    name: 'seller + product filter',
    filtered: true,
    filter: (i) => ({
      ...all,
      visibility: ['public', 'internal', 'partner'],
      products: [products[i % products.length] as string],
    }),
  },
  {
    name: 'partner + type filter',
    filtered: true,
    filter: (i) => ({
      ...all,
      visibility: ['public', 'partner'],
      type: [DOCUMENT_TYPES[i % DOCUMENT_TYPES.length] as string],
    }),
  },
  {
    name: 'seller + competitor + region',
    filtered: true,
    filter: (i) => ({
      ...all,
      visibility: ['public', 'internal', 'partner'],
      competitors: [competitors[i % competitors.length] as string],
      regions: [(['AMER', 'EMEA', 'APJ'] as const)[i % 3] as string],
    }),
  },
  {
    name: 'manager + type + industry (~1%)',
    filtered: true,
    filter: (i) => ({
      ...all,
      type: [DOCUMENT_TYPES[i % DOCUMENT_TYPES.length] as string],
      industries: [domain.industries[i % domain.industries.length] as string],
    }),
  },
];

interface Timed {
  results: VectorHit[][];
  /** Queries per second of wall time. */
  qps: number;
  /** Queries per second of this process's CPU time (steady on a shared machine). */
  cpuQps: number;
}

/** This process's CPU time (user + system) in milliseconds. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Times both searches over every query in alternating blocks: the machine is
 * shared, so both meet the same load, and each block runs with warm caches.
 */
async function timeInterleaved(
  filter: (i: number) => VectorFilter,
): Promise<{ brute: Timed; ann: Timed }> {
  const BLOCK = 25;
  const brute: VectorHit[][] = [];
  const ann: VectorHit[][] = [];
  const wall = { brute: 0, ann: 0 };
  const cpu = { brute: 0, ann: 0 };
  for (let from = 0; from < queryVectors.length; from += BLOCK) {
    const to = Math.min(from + BLOCK, queryVectors.length);
    let start = performance.now();
    let startCpu = cpuMs();
    for (let i = from; i < to; i++)
      brute.push(
        index.exactSearch(queryVectors[i] as Float32Array, K, filter(i)),
      );
    wall.brute += performance.now() - start;
    cpu.brute += cpuMs() - startCpu;
    start = performance.now();
    startCpu = cpuMs();
    for (let i = from; i < to; i++)
      ann.push(
        await index.search(queryVectors[i] as Float32Array, K, filter(i)),
      );
    wall.ann += performance.now() - start;
    cpu.ann += cpuMs() - startCpu;
  }
  const n = queryVectors.length * 1000;
  return {
    brute: { results: brute, qps: n / wall.brute, cpuQps: n / cpu.brute },
    ann: { results: ann, qps: n / wall.ann, cpuQps: n / cpu.ann },
  };
}

interface Figures {
  scenarios: number;
  recall: number;
  worstRecall: number;
  /** Summed seconds per query set: wall and CPU, index and brute force. */
  wall: { ann: number; brute: number };
  cpu: { ann: number; brute: number };
  worstWallRatio: number;
  worstCpuRatio: number;
}
const figures = (): Figures => ({
  scenarios: 0,
  recall: 0,
  worstRecall: Infinity,
  wall: { ann: 0, brute: 0 },
  cpu: { ann: 0, brute: 0 },
  worstWallRatio: Infinity,
  worstCpuRatio: Infinity,
});
const groups = { unfiltered: figures(), filtered: figures() };
for (const scenario of scenarios) {
  const { brute, ann } = await timeInterleaved(scenario.filter);
  let recall = 0;
  for (let i = 0; i < queryVectors.length; i++) {
    const truth = new Set((brute.results[i] ?? []).map((h) => h.id));
    const got = (ann.results[i] ?? []).filter((h) => truth.has(h.id)).length;
    recall += truth.size === 0 ? 1 : got / truth.size;
    const f = scenario.filter(i);
    for (const hit of ann.results[i] ?? []) {
      const payload = payloads[
        Number(hit.id.slice('chunk-'.length))
      ] as VectorPayload;
      if (!matchesFilter(payload, f))
        throw new Error(`filter leak in ${scenario.name}`);
    }
  }
  recall /= queryVectors.length;
  const wallRatio = ann.qps / brute.qps;
  const cpuRatio = ann.cpuQps / brute.cpuQps;
  const group = groups[scenario.filtered ? 'filtered' : 'unfiltered'];
  group.scenarios++;
  group.recall += recall;
  group.worstRecall = Math.min(group.worstRecall, recall);
  group.worstWallRatio = Math.min(group.worstWallRatio, wallRatio);
  group.worstCpuRatio = Math.min(group.worstCpuRatio, cpuRatio);
  group.wall.ann += queryVectors.length / ann.qps;
  group.wall.brute += queryVectors.length / brute.qps;
  group.cpu.ann += queryVectors.length / ann.cpuQps;
  group.cpu.brute += queryVectors.length / brute.cpuQps;
  console.log(
    `${scenario.name.padEnd(34)} recall@10 ${recall.toFixed(3)}  index ${ann.qps.toFixed(0).padStart(5)} qps  brute force ${brute.qps.toFixed(0).padStart(4)} qps  ${wallRatio.toFixed(1).padStart(5)}x wall  ${cpuRatio.toFixed(1).padStart(5)}x CPU`,
  );
}
await index.close();
rmSync(indexDir, { recursive: true, force: true });
const describe = (name: string, group: Figures): string =>
  `${name} recall@10 ${(group.recall / group.scenarios).toFixed(3)} (worst ${group.worstRecall.toFixed(3)}), QPS vs brute force ${(group.wall.brute / group.wall.ann).toFixed(1)}x wall (worst ${group.worstWallRatio.toFixed(1)}x), ${(group.cpu.brute / group.cpu.ann).toFixed(1)}x CPU (worst ${group.worstCpuRatio.toFixed(1)}x)`;
for (const [name, group] of Object.entries(groups))
  console.log(describe(name, group));
console.log(
  `ingestion: ${pipelineRate.toFixed(0)} chunks/s full pipeline, ${buildRate.toFixed(0)} chunks/s index build`,
);
const totalSeconds = (performance.now() - started) / 1000;
// CPU seconds tell the run's own cost apart from time spent waiting on a shared machine.
const cpuSeconds = cpuMs() / 1000;
console.log(
  `total runtime ${totalSeconds.toFixed(0)} s wall, ${cpuSeconds.toFixed(0)} s CPU`,
);
console.log(
  `SUMMARY retrieval: ${POINTS} vectors; ${describe('unfiltered', groups.unfiltered)}; ${describe('filtered', groups.filtered)}; ingestion ${pipelineRate.toFixed(0)} chunks/s; ${totalSeconds.toFixed(0)} s wall, ${cpuSeconds.toFixed(0)} s CPU`,
);
