import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import { createLogger } from '@fieldwise/telemetry';
import { createApiKey, type NewApiKey } from '../../src/api-keys/api-keys.js';
import { hashApiKey } from '../../src/api-keys/api-key.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import { auditEvents, auditEventsOfTrace } from '../helpers/audit.js';

const DAY = 24 * 3600 * 1000;

describe('service-account API keys through the request path', () => {
  let gateway: TestGateway;
  const logLines: string[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString('utf8'));
        callback();
      },
    });
    gateway = await buildTestGateway(
      echoIdentity,
      {},
      {
        // Every request asks the store, so a revocation shows at once.
        env: { API_KEY_CACHE_TTL: '0s' },
        logger: createLogger({ name: 'gateway', level: 'debug', destination }),
      },
    );
  });
  afterAll(async () => {
    await gateway.app.close();
  });

  async function issue(
    spec: Partial<NewApiKey> = {},
    now?: Date,
  ): Promise<{ key: string; id: string }> {
    const { key, record } = await createApiKey(
      gateway.governance.governance.apiKeys.store,
      {
        account: 'eval-runner',
        tenant: 'lumen',
        roles: ['service:eval'],
        ttlMs: DAY,
        ...spec,
      },
      now,
    );
    issued.push(key);
    return { key, id: record.id };
  }

  function call(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers: Record<string, string>,
    payload?: Record<string, unknown>,
  ) {
    return gateway.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  it('authenticates a valid key in either header as the service account', async () => {
    const { key, id } = await issue();
    for (const headers of <Record<string, string>[]>[
      { authorization: `ApiKey ${key}` },
      { 'x-api-key': key },
    ]) {
      const response = await call('POST', '/v1/whoami', headers, {});
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        gateway: {
          principal: { userId: 'eval-runner', tenant: 'lumen', roles: [] },
        },
      });
      const [event] = auditEventsOfTrace(
        gateway,
        String(response.headers['trace-id']),
      );
      expect(event?.data).toMatchObject({
        actor: {
          userId: 'eval-runner',
          kind: 'api-key',
          roles: ['service:eval'],
          tenant: 'lumen',
          apiKeyId: id,
        },
        authz: { decision: 'allow' },
      });
    }
  });

  it('authorizes by the key roles alone: service:eval may not read the policy', async () => {
    const { key } = await issue();
    const response = await call('GET', '/v1/policy', { 'x-api-key': key });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('never trusts roles or tenants sent in headers or bodies', async () => {
    const { key } = await issue({
      roles: ['seller'],
      territories: ['amer-east'],
    });
    const response = await call(
      'PUT',
      '/v1/policy',
      {
        'x-api-key': key,
        'x-fieldwise-roles': 'admin',
        'x-fieldwise-tenant': 'northstar',
        'x-roles': 'admin',
      },
      { lines: [], roles: ['admin'], tenant: 'northstar' },
    );
    expect(response.statusCode).toBe(403);
    const whoami = await call(
      'POST',
      '/v1/whoami',
      {
        'x-api-key': key,
        'x-fieldwise-roles': 'admin',
      },
      {},
    );
    expect(whoami.json()).toMatchObject({
      gateway: { principal: { roles: ['seller'], tenant: 'lumen' } },
    });
  });

  it('denies what lies outside the key tenant', async () => {
    const { key } = await issue({ account: 'policy-bot', roles: ['admin'] });
    const other = await call(
      'PUT',
      '/v1/policy',
      { 'x-api-key': key },
      { lines: ['p, role:seller, northstar, /v1/models, GET, deny'] },
    );
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'PERMISSION_DENIED' });
    const own = await call('GET', '/v1/policy', { 'x-api-key': key });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ tenant: 'lumen' });

    // An auditor key of one tenant sees none of the other tenant's events.
    const northstar = await issue({ tenant: 'northstar', roles: ['auditor'] });
    const events = await call('GET', '/v1/audit/events?limit=200', {
      'x-api-key': northstar.key,
    });
    expect(events.statusCode).toBe(200);
    const items = events.json<{
      items: { data: { actor: { tenant: string } } }[];
    }>().items;
    expect(items.every((i) => i.data.actor.tenant === 'northstar')).toBe(true);
  });

  it('denies routes outside the key route scopes, naming the rule', async () => {
    const { key, id } = await issue({
      roles: ['seller'],
      routes: ['GET /v1/whoami'],
    });
    expect(
      (await call('GET', '/v1/whoami', { 'x-api-key': key })).statusCode,
    ).toBe(200);
    const denied = await call('POST', '/v1/whoami', { 'x-api-key': key }, {});
    expect(denied.statusCode).toBe(403);
    const deny = auditEventsOfTrace(
      gateway,
      String(denied.headers['trace-id']),
    ).find((e) => e.type === AUDIT_EVENT_TYPES.authzDecision);
    expect(deny?.data).toMatchObject({
      decision: 'deny',
      rule: `api-key ${id} route scopes`,
    });
  });

  it('answers 401 with a stable code for revoked, expired, unknown and malformed keys', async () => {
    const revoked = await issue();
    await gateway.governance.governance.apiKeys.store.revoke(
      revoked.id,
      new Date(),
    );
    const expired = await issue({ ttlMs: 1000 }, new Date(Date.now() - 60_000));
    const live = await issue();
    const cases: [Record<string, string>, string][] = [
      [{ 'x-api-key': revoked.key }, 'AUTH_REVOKED'],
      [{ authorization: `ApiKey ${revoked.key}` }, 'AUTH_REVOKED'],
      [{ 'x-api-key': expired.key }, 'AUTH_EXPIRED'],
      [
        { 'x-api-key': `fwk_0123456789abcdef_${'A'.repeat(43)}` },
        'AUTH_INVALID',
      ],
      [{ 'x-api-key': `${live.key.slice(0, -1)}x` }, 'AUTH_INVALID'],
      [{ 'x-api-key': 'not-a-key' }, 'AUTH_INVALID'],
      [
        { 'x-api-key': live.key, authorization: `ApiKey ${live.key}` },
        'AUTH_INVALID',
      ],
    ];
    for (const [headers, code] of cases) {
      const response = await call('GET', '/v1/whoami', headers);
      expect(response.statusCode, code).toBe(401);
      expect(response.json()).toMatchObject({ status: 401, code });
      expect(response.body).not.toContain(live.key);
    }
  });

  it('keeps every key and its hash out of logs and audit events', () => {
    expect(issued.length).toBeGreaterThan(5);
    const events = JSON.stringify(auditEvents(gateway));
    const logs = logLines.join('');
    expect(logs).toContain('request completed');
    for (const key of issued) {
      // The secret is base64url and may itself contain `_`: take the 43
      // characters after the fixed `fwk_<16 hex>_` prefix.
      const secret = key.slice('fwk_'.length + 16 + 1);
      expect(secret).toHaveLength(43);
      for (const text of [events, logs]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(hashApiKey(key));
      }
    }
  });
});
