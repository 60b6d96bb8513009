import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { WordVectorEmbedder } from '../../src/adapters/embeddings/word-vector-embedder.js';
import { readSources } from '../../src/adapters/files/collateral-directory.js';
import { SqliteDocumentStore } from '../../src/adapters/store/sqlite-document-store.js';
import { HnswVectorIndex } from '../../src/adapters/vector-index/hnsw-vector-index.js';
import {
  ingestDocuments,
  type IngestDeps,
  type IngestReport,
} from '../../src/domain/ingest.js';
import { PatternInjectionScanner } from './pattern-injection-scanner.js';

/** Repository paths the tests read. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
export const COLLATERAL_DIR = join(REPO_ROOT, 'data/collateral');
export const EVAL_DIR = join(REPO_ROOT, 'data/collateral-eval');
/** Shared word-vector cache: converted once per checkout, reused by every test run. */
export const VECTOR_CACHE_DIR = resolve(
  import.meta.dirname,
  '../../.data/cache',
);

export const silentLogger: Logger = pino({ level: 'silent' });

let sharedEmbedder: WordVectorEmbedder | undefined;

/** The embedded word-vector embedder, loaded once per test process. */
export function wordVectorEmbedder(): WordVectorEmbedder {
  sharedEmbedder ??= WordVectorEmbedder.open({
    cacheDir: VECTOR_CACHE_DIR,
    logger: silentLogger,
  });
  return sharedEmbedder;
}

/** A fresh store, index and scanner in a temporary data dir. */
export interface Harness {
  readonly deps: IngestDeps & {
    store: SqliteDocumentStore;
    index: HnswVectorIndex;
  };
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

/** Builds a harness with real adapters under a temporary directory. */
export function createHarness(): Harness {
  const dataDir = mkdtempSync(join(tmpdir(), 'retrieval-test-'));
  const embedder = wordVectorEmbedder();
  const store = new SqliteDocumentStore(join(dataDir, 'retrieval.sqlite'));
  const index = new HnswVectorIndex({
    dimensions: embedder.dimensions,
    dir: join(dataDir, 'vectors'),
    logger: silentLogger,
  });
  return {
    deps: {
      store,
      index,
      embedder,
      scanner: new PatternInjectionScanner(),
      logger: silentLogger,
      now: () => new Date('2026-04-01T00:00:00Z'),
    },
    dataDir,
    async cleanup() {
      await index.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Ingests data/collateral into the `lumen` tenant. */
export async function ingestCorpus(deps: IngestDeps): Promise<IngestReport> {
  const { documents } = readSources(COLLATERAL_DIR);
  return ingestDocuments(deps, { tenant: 'lumen', documents });
}

/** One line of data/collateral-eval/queries.jsonl. */
export interface EvalQuery {
  readonly id: string;
  readonly query: string;
  readonly relevant: readonly string[];
  readonly role: 'seller' | 'manager' | 'partner';
  readonly filters?: {
    readonly type?: string;
    readonly products?: string[];
    readonly competitors?: string[];
    readonly industries?: string[];
    readonly regions?: string[];
  };
}

/** The retrieval evaluation queries. */
export function loadEvalQueries(): EvalQuery[] {
  return readFileSync(join(EVAL_DIR, 'queries.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EvalQuery);
}
