import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { HnswVectorIndex } from '../../src/adapters/vector-index/hnsw-vector-index.js';
import { silentLogger } from '../helpers/fixtures.js';
import {
  CONTRACT_DIMENSIONS,
  runVectorIndexContract,
} from './vector-index.contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

runVectorIndexContract(
  'hnswlib (embedded, graph search)',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnsw-contract-'));
    dirs.push(dir);
    // exactThreshold 0 forces the post-filtered graph walk, deepening as needed.
    return Promise.resolve(
      new HnswVectorIndex({
        dimensions: CONTRACT_DIMENSIONS,
        dir,
        logger: silentLogger,
        exactThreshold: 0,
      }),
    );
  },
  async (index) => {
    await index.close();
    const dir = dirs.at(-1) as string;
    return new HnswVectorIndex({
      dimensions: CONTRACT_DIMENSIONS,
      dir,
      logger: silentLogger,
      exactThreshold: 0,
    });
  },
);

runVectorIndexContract(
  'hnswlib (embedded, exact path for selective filters)',
  () =>
    Promise.resolve(
      new HnswVectorIndex({
        dimensions: CONTRACT_DIMENSIONS,
        logger: silentLogger,
      }),
    ),
);
