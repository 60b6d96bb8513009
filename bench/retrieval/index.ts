// Embedded vector index (hnswlib-node, filter inside the graph search) against
// exact brute-force search over the same vectors, in the same run: recall@10
// and queries per second, unfiltered and with access-control filters; plus
// ingestion throughput of the full pipeline and of index building.
// Usage: npx tsx bench/retrieval/index.ts [--points N] [--queries N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { WordVectorEmbedder } from '../../apps/retrieval-service/src/adapters/embeddings/word-vector-embedder.js';
import { readSources } from '../../apps/retrieval-service/src/adapters/files/collateral-directory.js';
import { SqliteDocumentStore } from '../../apps/retrieval-service/src/adapters/store/sqlite-document-store.js';
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
    queries: { type: 'string', default: '300' },
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
const scenarios: { name: string; filter: (i: number) => VectorFilter }[] = [
  { name: 'admin scope (tenant only)', filter: () => all },
  {
    name: 'seller scope (no confidential)',
    filter: () => ({ ...all, visibility: ['public', 'internal', 'partner'] }),
  },
  {
    name: 'partner scope (public + partner)',
    filter: () => ({ ...all, visibility: ['public', 'partner'] }),
  },
  {
    name: 'seller + product filter',
    filter: (i) => ({
      ...all,
      visibility: ['public', 'internal', 'partner'],
      products: [products[i % products.length] as string],
    }),
  },
  {
    name: 'partner + type filter (selective)',
    filter: (i) => ({
      ...all,
      visibility: ['public', 'partner'],
      type: [DOCUMENT_TYPES[i % DOCUMENT_TYPES.length] as string],
    }),
  },
];

function timeQueries(
  run: (i: number) => VectorHit[] | Promise<VectorHit[]>,
): Promise<{ results: VectorHit[][]; qps: number }> {
  return (async () => {
    const results: VectorHit[][] = [];
    const start = performance.now();
    for (let i = 0; i < queryVectors.length; i++) results.push(await run(i));
    return {
      results,
      qps: queryVectors.length / ((performance.now() - start) / 1000),
    };
  })();
}

let totalRecall = 0;
let minRatio = Infinity;
let bruteTime = 0;
let annTime = 0;
for (const scenario of scenarios) {
  const brute = await timeQueries((i) =>
    index.exactSearch(queryVectors[i] as Float32Array, K, scenario.filter(i)),
  );
  const ann = await timeQueries((i) =>
    index.search(queryVectors[i] as Float32Array, K, scenario.filter(i)),
  );
  let recall = 0;
  for (let i = 0; i < queryVectors.length; i++) {
    const truth = new Set((brute.results[i] ?? []).map((h) => h.id));
    const got = (ann.results[i] ?? []).filter((h) => truth.has(h.id)).length;
    recall += truth.size === 0 ? 1 : got / truth.size;
    for (const hit of ann.results[i] ?? []) {
      const payload = payloads[
        Number(hit.id.slice('chunk-'.length))
      ] as VectorPayload;
      const f = scenario.filter(i);
      if (
        payload.tenant !== f.tenant ||
        !f.visibility.includes(payload.visibility)
      )
        throw new Error(`filter leak in ${scenario.name}`);
    }
  }
  recall /= queryVectors.length;
  const ratio = ann.qps / brute.qps;
  totalRecall += recall;
  minRatio = Math.min(minRatio, ratio);
  annTime += queryVectors.length / ann.qps;
  bruteTime += queryVectors.length / brute.qps;
  console.log(
    `${scenario.name.padEnd(36)} recall@10 ${recall.toFixed(3)}  hnsw ${ann.qps.toFixed(0).padStart(6)} qps  brute force ${brute.qps.toFixed(0).padStart(5)} qps  ${ratio.toFixed(1)}x`,
  );
}
await index.close();
rmSync(indexDir, { recursive: true, force: true });
const meanRecall = totalRecall / scenarios.length;
const overallRatio = bruteTime / annTime;
console.log(
  `total runtime ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(
  `SUMMARY retrieval: ${POINTS} vectors, recall@10 ${meanRecall.toFixed(3)} (mean of ${scenarios.length} scopes), hnsw/brute-force QPS ${overallRatio.toFixed(1)}x overall (worst scope ${minRatio.toFixed(1)}x), ingestion ${pipelineRate.toFixed(0)} chunks/s pipeline, ${buildRate.toFixed(0)} chunks/s index build`,
);
