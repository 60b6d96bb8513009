import { describe, it } from 'vitest';
import { QdrantVectorIndex } from '../../src/adapters/vector-index/qdrant-vector-index.js';
import { silentLogger } from '../helpers/fixtures.js';
import {
  CONTRACT_DIMENSIONS,
  runVectorIndexContract,
} from './vector-index.contract.js';

const url = process.env.QDRANT_URL;

if (url) {
  let n = 0;
  runVectorIndexContract('qdrant', () =>
    Promise.resolve(
      new QdrantVectorIndex({
        url,
        collection: `fieldwise-contract-${process.pid}-${Date.now()}-${n++}`,
        dimensions: CONTRACT_DIMENSIONS,
        logger: silentLogger,
      }),
    ),
  );
} else {
  describe('VectorIndex contract: qdrant', () => {
    // No Qdrant server can be installed on the build machines: set QDRANT_URL to run this suite.
    it.skip('SKIPPED: QDRANT_URL is not set, so the Qdrant adapter was not run against a server', () => {});
  });
}
