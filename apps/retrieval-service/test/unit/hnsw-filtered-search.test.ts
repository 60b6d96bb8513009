import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../src/adapters/vector-index/filter.js';
import { HnswVectorIndex } from '../../src/adapters/vector-index/hnsw-vector-index.js';
import type {
  VectorFilter,
  VectorPayload,
} from '../../src/adapters/vector-index/port.js';
import { DOCUMENT_TYPES } from '../../src/domain/model.js';
import { silentLogger } from '../helpers/fixtures.js';

const DIMS = 16;
const POINTS = 2_000;
const RARE = new Set([17, 401, 900, 1_250, 1_333, 1_999]);

// Deterministic pseudo-random numbers (mulberry32).
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vectors(count: number, seed: number): Float32Array[] {
  const random = generator(seed);
  return Array.from({ length: count }, () =>
    Float32Array.from({ length: DIMS }, () => random() - 0.5),
  );
}

function payload(i: number): VectorPayload {
  return {
    documentId: `doc-${i}`,
    tenant: 'lumen',
    visibility: i % 5 === 0 ? 'public' : 'internal',
    type: DOCUMENT_TYPES[i % DOCUMENT_TYPES.length] as string,
    products: RARE.has(i)
      ? ['rare']
      : [['stream', 'connect', 'govern'][i % 3] as string],
    competitors: [],
    industries: [],
    regions: [['AMER', 'EMEA', 'APJ', 'global'][(i >> 3) % 4] as string],
  };
}

const seller: VectorFilter = {
  tenant: 'lumen',
  visibility: ['public', 'internal', 'partner'],
};
const filters: Record<string, VectorFilter> = {
  'scope only': seller,
  'broad product (1/3)': { ...seller, products: ['stream'] },
  'type (1/8)': { ...seller, type: ['battlecard'] },
  'type and region (1/16)': { ...seller, type: ['playbook'], regions: ['APJ'] },
  'type and product, intersected (1/24)': {
    ...seller,
    type: ['case-study'],
    products: ['govern'],
  },
  'rare product (6 points)': { ...seller, products: ['rare', 'none'] },
};

async function build(exactThreshold?: number): Promise<HnswVectorIndex> {
  const index = new HnswVectorIndex({
    dimensions: DIMS,
    logger: silentLogger,
    ...(exactThreshold === undefined ? {} : { exactThreshold }),
  });
  const points = vectors(POINTS, 7);
  await index.upsert(
    points.map((vector, i) => ({ id: `p${i}`, vector, payload: payload(i) })),
  );
  // Stale postings: a rare point moved to a class the seller cannot see, and one deleted.
  await index.upsert([
    {
      id: 'p17',
      vector: points[17] as Float32Array,
      payload: { ...payload(17), visibility: 'confidential' },
    },
  ]);
  await index.delete(['p900']);
  return index;
}

describe('HnswVectorIndex filtered search planning', () => {
  const queries = vectors(25, 99);
  const modes: [string, number | undefined][] = [
    ['graph walk with deepening (exactThreshold 0)', 0],
    ['cost-based choice (default)', undefined],
    ['exact scan of candidates', Number.POSITIVE_INFINITY],
  ];

  for (const [mode, threshold] of modes) {
    it(`${mode}: matches brute force and honours every filter`, async () => {
      const index = await build(threshold);
      expect(await index.count()).toBe(POINTS - 1);
      for (const [name, filter] of Object.entries(filters)) {
        let found = 0;
        let expected = 0;
        for (const query of queries) {
          const truth = index.exactSearch(query, 10, filter).map((h) => h.id);
          const hits = await index.search(query, 10, filter);
          for (const hit of hits) {
            const i = Number(hit.id.slice(1));
            expect(hit.id, name).not.toBe('p17');
            expect(hit.id, name).not.toBe('p900');
            expect(matchesFilter(payload(i), filter), name).toBe(true);
          }
          expect(hits.length, name).toBe(truth.length);
          found += hits.filter((h) => truth.includes(h.id)).length;
          expected += truth.length;
        }
        const recall = found / expected;
        if (threshold === Number.POSITIVE_INFINITY)
          expect(recall, name).toBe(1);
        else expect(recall, name).toBeGreaterThanOrEqual(0.95);
      }
      // Fewer matches than k: every live, visible one is returned.
      const rare = await index.search(
        queries[0] as Float32Array,
        10,
        filters['rare product (6 points)'] as VectorFilter,
      );
      expect(rare.map((h) => h.id).sort()).toEqual(
        ['p401', 'p1250', 'p1333', 'p1999'].sort(),
      );
      await index.close();
    });
  }
});
