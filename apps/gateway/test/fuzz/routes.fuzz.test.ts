import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUMAN_ROLES } from '@fieldwise/authz';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import {
  startFakeBackends,
  type FakeBackends,
} from '../helpers/fake-backends.js';

// Statuses the API documents for these routes; anything else (a 5xx above
// all) is a bug.
const DOCUMENTED = new Set([
  200, 201, 202, 400, 401, 403, 404, 413, 415, 422, 429,
]);

const ROUTES = [
  { method: 'GET', url: '/v1/whoami' },
  { method: 'POST', url: '/v1/whoami' },
  { method: 'GET', url: '/v1/models' },
  { method: 'GET', url: '/v1/policy' },
  { method: 'PUT', url: '/v1/policy' },
  { method: 'GET', url: '/v1/audit/events' },
  { method: 'POST', url: '/v1/chat' },
  { method: 'POST', url: '/v1/actions/act-1/confirm' },
  { method: 'POST', url: '/v1/actions/act-1/reject' },
  { method: 'GET', url: '/v1/conversations' },
  { method: 'GET', url: '/v1/conversations/conv-1' },
  { method: 'POST', url: '/v1/feedback' },
  { method: 'GET', url: '/v1/accounts' },
  { method: 'GET', url: '/v1/accounts/acc-1' },
  { method: 'GET', url: '/v1/accounts/acc-1/consumption' },
  { method: 'GET', url: '/v1/accounts/acc-1/similar' },
  { method: 'GET', url: '/v1/alerts/hygiene' },
  { method: 'GET', url: '/v1/collateral/search' },
  { method: 'GET', url: '/v1/documents' },
  { method: 'POST', url: '/v1/documents' },
  { method: 'DELETE', url: '/v1/documents/doc-1' },
  { method: 'GET', url: '/v1/evals/runs' },
  { method: 'POST', url: '/v1/evals/runs' },
  { method: 'GET', url: '/v1/evals/runs/run-1' },
  { method: 'GET', url: '/v1/evals/runs/run-1/report' },
  { method: 'GET', url: '/v1/evals/datasets' },
  { method: 'GET', url: '/healthz' },
  { method: 'GET', url: '/readyz' },
  { method: 'POST', url: '/v1/nowhere' },
] as const;

const RUNS_PER_ROUTE = 200;

describe('fuzzing every route: only documented 4xx, never 5xx', () => {
  let gateway: TestGateway;
  let backends: FakeBackends;
  let tokens: string[];

  beforeAll(async () => {
    // Fake crm, retrieval and eval services behind the data routes.
    backends = await startFakeBackends();
    gateway = await buildTestGateway(echoIdentity, {
      signer: backends.signer,
      ...backends.clients,
    });
    tokens = await Promise.all(
      HUMAN_ROLES.flatMap((role) =>
        ['lumen', 'northstar'].map((tenant) =>
          gateway.token({
            sub: `u-fuzz-${role}-${tenant}`,
            roles: [role],
            tenant,
          }),
        ),
      ),
    );
  });
  afterAll(async () => {
    await gateway.app.close();
    await backends.stop();
  });

  const authorization = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 0, max: 11 }).map((i) => `Bearer ${tokens[i]}`),
    fc.string({ maxLength: 200 }).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 100 }),
  );
  const contentType = fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/problem+json',
    ),
    fc.string({ maxLength: 40 }),
  );
  const body = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 2_000, unit: 'binary' }),
    fc.record({
      service: fc.oneof(
        fc.constantFrom('crm', 'agent', 'eval', 'retrieval'),
        fc.string(),
      ),
    }),
    fc.record({
      lines: fc.array(fc.string({ maxLength: 80 }), { maxLength: 5 }),
    }),
    fc.uint8Array({ maxLength: 4_096 }).map((b) => Buffer.from(b)),
    fc.integer({ min: 60_000, max: 120_000 }).map((n) => 'x'.repeat(n)),
  );
  const query = fc.oneof(
    fc.constant(''),
    fc
      .dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), {
        maxKeys: 4,
      })
      .map((q) => `?${new URLSearchParams(q).toString()}`),
    fc.string({ maxLength: 60 }).map((s) => `?${s}`),
  );
  const headerNoise = fc.dictionary(
    fc.constantFrom(
      'content-encoding',
      'accept',
      'accept-encoding',
      'x-fieldwise-roles',
      'traceparent',
      'x-forwarded-for',
    ),
    fc.string({ maxLength: 60 }).filter((v) => /^[\t\x20-\x7e]*$/.test(v)),
  );

  it.each(ROUTES)(
    '$method $url',
    async (route) => {
      await fc.assert(
        fc.asyncProperty(
          authorization,
          contentType,
          body,
          query,
          headerNoise,
          async (auth, type, payload, search, noise) => {
            const headers: Record<string, string> = { ...noise };
            if (auth !== undefined && /^[\t\x20-\x7e]*$/.test(auth))
              headers.authorization = auth;
            const sendsBody = route.method !== 'GET';
            if (sendsBody) headers['content-type'] = type;
            const response = await gateway.app.inject({
              method: route.method,
              url: `${route.url}${search}`,
              headers,
              ...(sendsBody
                ? {
                    payload:
                      typeof payload === 'string' || Buffer.isBuffer(payload)
                        ? payload
                        : JSON.stringify(payload),
                  }
                : {}),
            });
            expect(
              DOCUMENTED.has(response.statusCode),
              `${response.statusCode}: ${response.body.slice(0, 300)}`,
            ).toBe(true);
            if (response.statusCode >= 400) {
              expect(response.headers['content-type']).toMatch(
                /^application\/problem\+json/,
              );
              expect(response.json<{ traceId: string }>().traceId).toMatch(
                /^[0-9a-f]{32}$/,
              );
            }
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
      // The process is still up and serving.
      const health = await gateway.app.inject({
        method: 'GET',
        url: '/healthz',
      });
      expect(health.statusCode).toBe(200);
    },
    60_000,
  );
});
