import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  VectorFilter,
  VectorIndex,
  VectorPayload,
} from '../../src/adapters/vector-index/port.js';

const DIMS = 16;

function vector(seed: number): Float32Array {
  const v = new Float32Array(DIMS);
  let s = seed * 2654435761 + 1;
  for (let d = 0; d < DIMS; d++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[d] = s / 2147483648 - 0.5;
  }
  return v;
}

function payload(overrides: Partial<VectorPayload> = {}): VectorPayload {
  return {
    documentId: 'doc',
    tenant: 'lumen',
    visibility: 'internal',
    type: 'playbook',
    products: ['stream'],
    competitors: [],
    industries: [],
    regions: ['EMEA'],
    ...overrides,
  };
}

const everything: VectorFilter = {
  tenant: 'lumen',
  visibility: ['public', 'internal', 'partner', 'confidential'],
};

/**
 * The behaviour every VectorIndex must have. `make` returns a fresh, empty
 * index of {@link DIMS} dimensions; `reopen`, when given, reopens the same
 * storage to check persistence.
 */
export function runVectorIndexContract(
  name: string,
  make: () => Promise<VectorIndex>,
  reopen?: (index: VectorIndex) => Promise<VectorIndex>,
): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let index: VectorIndex;
    beforeEach(async () => {
      index = await make();
    });
    afterEach(async () => {
      await index.close();
    });

    it('finds the nearest point first, with cosine scores', async () => {
      await index.upsert(
        [1, 2, 3, 4, 5].map((i) => ({
          id: `c${i}`,
          vector: vector(i),
          payload: payload(),
        })),
      );
      const hits = await index.search(vector(3), 3, everything);
      expect(hits[0]?.id).toBe('c3');
      expect(hits[0]?.score).toBeCloseTo(1, 4);
      expect(hits).toHaveLength(3);
      expect(hits[1]!.score).toBeLessThanOrEqual(hits[0]!.score);
      expect(await index.count()).toBe(5);
    });

    it('upsert replaces a point and delete removes it', async () => {
      await index.upsert([
        { id: 'a', vector: vector(1), payload: payload() },
        { id: 'b', vector: vector(2), payload: payload() },
      ]);
      await index.upsert([{ id: 'a', vector: vector(9), payload: payload() }]);
      expect((await index.search(vector(9), 1, everything))[0]?.id).toBe('a');
      await index.delete(['a', 'unknown']);
      const hits = await index.search(vector(9), 5, everything);
      expect(hits.map((h) => h.id)).toEqual(['b']);
      expect(await index.count()).toBe(1);
    });

    it('applies tenant, visibility and metadata filters before truncation', async () => {
      // The nearest 50 points are invisible; the one visible point is far away.
      const items = Array.from({ length: 50 }, (_, i) => ({
        id: `secret${i}`,
        vector: vector(7),
        payload: payload({ visibility: 'confidential' }),
      }));
      items.push({
        id: 'other-tenant',
        vector: vector(7),
        payload: payload({ tenant: 'northstar', visibility: 'public' }),
      });
      items.push({
        id: 'visible',
        vector: vector(100),
        payload: payload({
          visibility: 'public',
          type: 'case-study',
          products: ['connect'],
          regions: ['global'],
        }),
      });
      await index.upsert(items);
      const seller: VectorFilter = {
        tenant: 'lumen',
        visibility: ['public', 'internal', 'partner'],
      };
      expect(
        (await index.search(vector(7), 5, seller)).map((h) => h.id),
      ).toEqual(['visible']);
      expect(
        await index.search(vector(7), 5, { ...seller, tenant: 'acme' }),
      ).toEqual([]);
      expect(
        await index.search(vector(7), 5, { ...seller, visibility: [] }),
      ).toEqual([]);
      expect(
        (
          await index.search(vector(7), 5, {
            ...seller,
            type: ['case-study'],
            products: ['connect', 'x'],
          })
        ).map((h) => h.id),
      ).toEqual(['visible']);
      expect(
        await index.search(vector(7), 5, { ...seller, type: ['battlecard'] }),
      ).toEqual([]);
      // A `global` document matches every region filter.
      expect(
        (await index.search(vector(7), 5, { ...seller, regions: ['APJ'] })).map(
          (h) => h.id,
        ),
      ).toEqual(['visible']);
      const manager: VectorFilter = {
        ...seller,
        visibility: ['confidential'],
        regions: ['APJ'],
      };
      expect(await index.search(vector(7), 5, manager)).toEqual([]);
    });

    it('rejects vectors of the wrong dimension', async () => {
      await expect(
        index.upsert([
          { id: 'x', vector: new Float32Array(DIMS + 1), payload: payload() },
        ]),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    if (reopen) {
      it('persists points and payloads across a reopen', async () => {
        await index.upsert(
          [1, 2, 3].map((i) => ({
            id: `p${i}`,
            vector: vector(i),
            payload: payload({ documentId: `d${i}` }),
          })),
        );
        await index.delete(['p1']);
        await index.flush();
        index = await reopen(index);
        expect(await index.count()).toBe(2);
        expect((await index.search(vector(2), 1, everything))[0]?.id).toBe(
          'p2',
        );
        await index.upsert([
          { id: 'p4', vector: vector(4), payload: payload() },
        ]);
        expect((await index.search(vector(4), 1, everything))[0]?.id).toBe(
          'p4',
        );
      });
    }
  });
}

export { DIMS as CONTRACT_DIMENSIONS };
