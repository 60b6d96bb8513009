import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  apiKeyId,
  apiKeyMatches,
  generateApiKey,
  hashApiKey,
} from '../../src/api-keys/api-key.js';
import {
  createApiKey,
  createApiKeyVerifier,
  routeInScope,
} from '../../src/api-keys/api-keys.js';
import { SqliteApiKeyStore } from '../../src/api-keys/sqlite-store.js';
import { runApiKeyCommand } from '../../src/cli/apikey-commands.js';

const DAY = 24 * 3600 * 1000;

describe('API key format', () => {
  it('carries a public id and 256 random bits; only the hash is kept', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^fwk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyId(a.key)).toBe(a.id);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(21));
    expect(a.key).not.toBe(b.key);
    expect(apiKeyMatches(a.key, a.hash)).toBe(true);
    expect(apiKeyMatches(b.key, a.hash)).toBe(false);
    expect(apiKeyMatches(a.key, 'abcd')).toBe(false);
  });

  it.each(['', 'fwk_', 'Bearer x', `fwk_${'0'.repeat(16)}_short`])(
    'has no id in %j',
    (text) => {
      expect(apiKeyId(text)).toBeUndefined();
    },
  );
});

describe('route scopes', () => {
  it.each([
    [[], 'GET', '/v1/policy', true],
    [['POST /v1/evals/runs'], 'POST', '/v1/evals/runs', true],
    [['POST /v1/evals/runs'], 'GET', '/v1/evals/runs', false],
    [['GET /v1/evals/*'], 'GET', '/v1/evals/runs/:id', true],
    [['GET /v1/evals/*'], 'GET', '/v1/evalsx', false],
    [['* /v1/whoami'], 'POST', '/v1/whoami', true],
    [['* /v1/whoami'], 'GET', '/v1/whoami/x', false],
  ] as const)('%j allows %s %s: %s', (routes, method, path, allowed) => {
    expect(routeInScope(routes, method, path)).toBe(allowed);
  });
});

describe('createApiKey, the verifier and the CLI', () => {
  let dir: string;
  let store: SqliteApiKeyStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fieldwise-api-keys-'));
    store = new SqliteApiKeyStore(join(dir, 'keys.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses unknown roles, bad tenants and bad route scopes', async () => {
    for (const input of [
      { roles: ['root'] },
      { roles: [] },
      { tenant: 'Lumen Corp' },
      { routes: ['GET /admin'] },
    ]) {
      await expect(
        createApiKey(store, {
          account: 'svc',
          tenant: 'lumen',
          roles: ['service:eval'],
          ttlMs: DAY,
          ...input,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(await store.list()).toEqual([]);
  });

  it('verifies live keys and refuses revoked, expired and unknown ones with stable codes', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z');
    const { key, record } = await createApiKey(
      store,
      {
        account: 'eval-runner',
        tenant: 'lumen',
        roles: ['service:eval', 'auditor'],
        ttlMs: DAY,
      },
      new Date(now),
    );
    const verify = createApiKeyVerifier(store, { cacheMs: 0, now: () => now });
    const identity = await verify(key);
    expect(identity.keyId).toBe(record.id);
    expect(identity.principal).toEqual({
      userId: 'eval-runner',
      tenant: 'lumen',
      roles: ['auditor'],
      territories: [],
    });
    expect(identity.serviceRoles).toEqual(['service:eval']);

    const forged = `fwk_${record.id}_${'A'.repeat(43)}`;
    await expect(verify(forged)).rejects.toMatchObject({
      code: 'AUTH_INVALID',
    });
    await expect(verify(generateApiKey().key)).rejects.toMatchObject({
      code: 'AUTH_INVALID',
    });

    now += DAY;
    await expect(verify(key)).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    now -= 1000;
    await store.revoke(record.id, new Date(now));
    await expect(verify(key)).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
  });

  it('lets a cached lookup serve until its time-to-live, then sees the revocation', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z');
    const { key, record } = await createApiKey(
      store,
      { account: 'svc', tenant: 'lumen', roles: ['seller'], ttlMs: DAY },
      new Date(now),
    );
    const verify = createApiKeyVerifier(store, {
      cacheMs: 5_000,
      now: () => now,
    });
    await verify(key);
    await store.revoke(record.id, new Date(now));
    now += 4_999;
    await expect(verify(key)).resolves.toMatchObject({ keyId: record.id });
    now += 1;
    await expect(verify(key)).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
  });

  it('creates, lists and revokes through the CLI without printing the key twice', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
    };
    const now = () => new Date('2026-11-25T12:00:00Z');
    expect(
      await runApiKeyCommand(
        [
          'create',
          '--account',
          'eval-runner',
          '--tenant',
          'lumen',
          '--role',
          'service:eval',
          '--route',
          'POST /v1/evals/runs',
          '--ttl',
          '30d',
        ],
        store,
        io,
        now,
      ),
    ).toBe(0);
    const key = out.pop() ?? '';
    const id = apiKeyId(key);
    expect(id).toBeDefined();
    expect(await runApiKeyCommand(['list', '--json'], store, io, now)).toBe(0);
    const listed = JSON.parse(out.pop() ?? '[]') as Record<string, unknown>[];
    expect(listed).toEqual([
      expect.objectContaining({
        id,
        account: 'eval-runner',
        roles: ['service:eval'],
        routes: ['POST /v1/evals/runs'],
        expiresAt: '2026-12-25T12:00:00.000Z',
        status: 'active',
      }),
    ]);
    expect(await runApiKeyCommand(['revoke', id ?? ''], store, io, now)).toBe(
      0,
    );
    expect(await runApiKeyCommand(['revoke', id ?? ''], store, io, now)).toBe(
      1,
    );
    expect(await runApiKeyCommand(['list'], store, io, now)).toBe(0);
    expect(out.pop()).toContain('revoked');
    expect(await runApiKeyCommand(['nope'], store, io, now)).toBe(2);
    const printed = [...out, ...err].join('\n');
    expect(printed).not.toContain(key);
    expect(printed).not.toContain(hashApiKey(key));
  });
});
