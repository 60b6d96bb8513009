import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import { auditEventsOfTrace } from '../helpers/audit.js';

describe('policy: reload without restart, tenant-scoped edits', () => {
  let gateway: TestGateway;
  let policyPath: string;

  beforeAll(async () => {
    gateway = await buildTestGateway(echoIdentity);
    policyPath = join(gateway.dataDir, 'gateway', 'policy.csv');
  });
  afterAll(async () => {
    await gateway.app.close();
  });

  async function call(
    method: 'GET' | 'PUT',
    url: string,
    claims: { roles: string[]; tenant: string; sub?: string },
    payload?: Record<string, unknown>,
  ) {
    const token = await gateway.token({
      sub: claims.sub ?? `u-${claims.roles.join('-')}-${claims.tenant}`,
      roles: claims.roles,
      tenant: claims.tenant,
    });
    return gateway.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  const seller = (tenant: string) => ({ roles: ['seller'], tenant });
  const admin = (tenant: string) => ({ roles: ['admin'], tenant });

  it('reloads an edited policy file on the fly, per tenant', async () => {
    const version = gateway.governance.governance.authorizer.policyVersion;
    expect(
      (await call('GET', '/v1/models', seller('northstar'))).statusCode,
    ).toBe(200);
    appendFileSync(
      policyPath,
      '\np, role:seller, northstar, /v1/models, GET, deny\n',
    );
    await vi.waitFor(
      () => {
        expect(
          gateway.governance.governance.authorizer.policyVersion,
        ).toBeGreaterThan(version);
      },
      { timeout: 5_000, interval: 50 },
    );
    const denied = await call('GET', '/v1/models', seller('northstar'));
    expect(denied.statusCode).toBe(403);
    const [event] = auditEventsOfTrace(
      gateway,
      String(denied.headers['trace-id']),
    ).filter((e) => e.type === AUDIT_EVENT_TYPES.authzDecision);
    expect(event?.data.rule).toMatch(
      /^policy\.csv:\d+: p, role:seller, northstar, \/v1\/models, GET, deny$/,
    );
    expect((await call('GET', '/v1/models', seller('lumen'))).statusCode).toBe(
      200,
    );
  });

  it('keeps serving the previous policy when the file becomes invalid', async () => {
    const before = readFileSync(policyPath, 'utf8');
    const authorizer = gateway.governance.governance.authorizer;
    const version = authorizer.policyVersion;
    const outcomes: boolean[] = [];
    const stop = authorizer.onReload((event) => outcomes.push(event.ok));
    try {
      writeFileSync(
        policyPath,
        `${before}\np, role:nobody, *, /v1/x, GET, allow\n`,
      );
      // The watcher tries the bad file and rejects it.
      await vi.waitFor(() => expect(outcomes).toContain(false), {
        timeout: 5_000,
        interval: 50,
      });
      expect(authorizer.policyVersion).toBe(version);
      expect(
        (await call('GET', '/v1/models', seller('lumen'))).statusCode,
      ).toBe(200);
    } finally {
      stop();
      writeFileSync(policyPath, before);
      await authorizer.reload();
    }
  });

  it('shows admins and auditors the effective policy of their tenant only', async () => {
    const response = await call('GET', '/v1/policy', {
      roles: ['auditor'],
      tenant: 'northstar',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ tenant: string; lines: string[] }>();
    expect(body.tenant).toBe('northstar');
    expect(body.lines).toContain(
      'p, role:seller, northstar, /v1/models, GET, deny',
    );
    const other = (await call('GET', '/v1/policy', admin('lumen'))).json<{
      lines: string[];
    }>();
    expect(other.lines.some((l) => l.includes(', northstar, '))).toBe(false);
  });

  it('lets an admin replace their own tenant lines, enforced at once', async () => {
    const response = await call('PUT', '/v1/policy', admin('lumen'), {
      lines: ['p, role:seller, lumen, /v1/whoami, GET, deny'],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      tenant: 'lumen',
      tenantLines: 1,
      notified: false,
    });
    expect((await call('GET', '/v1/whoami', seller('lumen'))).statusCode).toBe(
      403,
    );
    expect(
      (await call('GET', '/v1/whoami', seller('northstar'))).statusCode,
    ).toBe(200);
    // The file keeps its comments and gains the tenant section.
    const text = readFileSync(policyPath, 'utf8');
    expect(text).toContain('# Fieldwise default policy');
    expect(text).toContain('p, role:seller, lumen, /v1/whoami, GET, deny');

    const cleared = await call('PUT', '/v1/policy', admin('lumen'), {
      lines: [],
    });
    expect(cleared.statusCode).toBe(200);
    expect((await call('GET', '/v1/whoami', seller('lumen'))).statusCode).toBe(
      200,
    );
  });

  it.each([
    ['another tenant', 'p, role:seller, northstar, /v1/whoami, GET, deny'],
    ['every tenant', 'p, role:seller, *, /v1/policy, PUT, allow'],
    ['role inheritance', 'g, role:seller, role:admin'],
  ])(
    'refuses an admin edit of %s with 403, file untouched',
    async (_n, line) => {
      const before = readFileSync(policyPath, 'utf8');
      const response = await call('PUT', '/v1/policy', admin('lumen'), {
        lines: [line],
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(readFileSync(policyPath, 'utf8')).toBe(before);
    },
  );

  it('rejects an invalid line with 400 naming it', async () => {
    const response = await call('PUT', '/v1/policy', admin('lumen'), {
      lines: ['p, role:seller, lumen, /v1/whoami, FETCH, allow'],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(response.json())).toContain('request:1');
  });

  it('refuses policy edits to auditors and sellers', async () => {
    for (const claims of [
      { roles: ['auditor'], tenant: 'lumen' },
      seller('lumen'),
    ]) {
      const response = await call('PUT', '/v1/policy', claims, { lines: [] });
      expect(response.statusCode).toBe(403);
    }
  });

  it('denies everything after the policy is emptied (default-deny), and recovers', async () => {
    const before = readFileSync(policyPath, 'utf8');
    const authorizer = gateway.governance.governance.authorizer;
    writeFileSync(policyPath, '# empty\n');
    await authorizer.reload();
    const response = await call('GET', '/v1/whoami', seller('lumen'));
    expect(response.statusCode).toBe(403);
    const [event] = auditEventsOfTrace(
      gateway,
      String(response.headers['trace-id']),
    ).filter((e) => e.type === AUDIT_EVENT_TYPES.authzDecision);
    expect(event?.data.rule).toBe('default-deny');
    writeFileSync(policyPath, before);
    await authorizer.reload();
    expect((await call('GET', '/v1/whoami', seller('lumen'))).statusCode).toBe(
      200,
    );
  });
});
