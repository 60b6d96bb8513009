import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/api-keys/api-key.js';
import type { ApiKeyRecord, ApiKeyStore } from '../../src/api-keys/port.js';

function record(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const { id, hash } = generateApiKey();
  return {
    id,
    account: 'eval-runner',
    tenant: 'lumen',
    roles: ['service:eval'],
    territories: [],
    routes: ['POST /v1/evals/runs', 'GET /v1/evals/*'],
    hash,
    description: 'nightly evaluation',
    createdAt: new Date('2026-11-01T00:00:00.000Z'),
    expiresAt: new Date('2027-02-01T00:00:00.000Z'),
    revokedAt: null,
    ...overrides,
  };
}

/**
 * The behaviour every {@link ApiKeyStore} shares; run once per
 * implementation with a factory that returns a fresh, empty store.
 */
export function runApiKeyStoreContract(
  name: string,
  makeStore: () => Promise<ApiKeyStore>,
): void {
  describe(`${name}: ApiKeyStore contract`, () => {
    let store: ApiKeyStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('returns a stored key by id with every field intact', async () => {
      const key = record({ territories: ['amer-east'] });
      await store.insert(key);
      expect(await store.get(key.id)).toEqual(key);
      expect(await store.get('0000000000000000')).toBeUndefined();
    });

    it('refuses a second key with the same id', async () => {
      const key = record();
      await store.insert(key);
      await expect(
        store.insert({ ...key, account: 'other' }),
      ).rejects.toThrow();
      expect((await store.get(key.id))?.account).toBe('eval-runner');
    });

    it('lists keys in creation order, optionally of one tenant', async () => {
      const a = record({ createdAt: new Date('2026-11-01T00:00:00Z') });
      const b = record({
        tenant: 'northstar',
        createdAt: new Date('2026-11-02T00:00:00Z'),
      });
      const c = record({ createdAt: new Date('2026-11-03T00:00:00Z') });
      for (const key of [c, a, b]) await store.insert(key);
      expect((await store.list()).map((k) => k.id)).toEqual([a.id, b.id, c.id]);
      expect((await store.list({ tenant: 'lumen' })).map((k) => k.id)).toEqual([
        a.id,
        c.id,
      ]);
      expect(await store.list({ tenant: 'nobody' })).toEqual([]);
    });

    it('revokes once; a revoked key stays revoked', async () => {
      const key = record();
      await store.insert(key);
      const at = new Date('2026-11-20T10:00:00.000Z');
      expect(await store.revoke(key.id, at)).toBe(true);
      expect((await store.get(key.id))?.revokedAt).toEqual(at);
      expect(await store.revoke(key.id, new Date())).toBe(false);
      expect((await store.get(key.id))?.revokedAt).toEqual(at);
      expect(await store.revoke('0000000000000000', at)).toBe(false);
    });
  });
}
