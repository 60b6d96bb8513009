import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HUMAN_ROLES,
  ROLES,
  ROUTES,
  isServiceRole,
  type Role,
  type RouteSpec,
} from '@fieldwise/authz';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import { auditEventsOfTrace } from '../helpers/audit.js';
import {
  startFakeBackends,
  type FakeBackends,
} from '../helpers/fake-backends.js';

const TENANTS = ['lumen', 'northstar'] as const;

// A valid request for each served route, so an allowed call is a plain 200.
function requestFor(route: RouteSpec): {
  url: string;
  payload?: Record<string, unknown>;
  /** The success status when not 200. */
  status?: number;
} {
  const url = route.path.replaceAll(':id', 'x-1');
  if (route.method === 'PUT' && route.path === '/v1/policy') {
    return { url, payload: { lines: [] } };
  }
  if (route.method === 'POST' && route.path === '/v1/whoami') {
    return { url, payload: {} };
  }
  if (route.method === 'POST' && route.path === '/v1/chat') {
    return { url, payload: { message: 'How is Acme doing?' } };
  }
  if (route.method === 'POST' && route.path === '/v1/feedback') {
    return {
      url,
      payload: { conversationId: 'c-1', messageId: 'm-1', rating: 'up' },
      status: 202,
    };
  }
  if (route.path === '/v1/collateral/search') {
    return { url: `${url}?q=pricing` };
  }
  if (route.method === 'POST' && route.path === '/v1/documents') {
    return {
      url,
      payload: { filename: 'n.md', contentType: 'text/markdown', content: 'x' },
      status: 201,
    };
  }
  if (route.method === 'POST' && route.path === '/v1/evals/runs') {
    return { url, payload: { datasetId: 'ds-1' }, status: 202 };
  }
  return { url };
}

// The role × route matrix of `@fieldwise/authz` ROUTES, for every role and
// two tenants. Where the gateway serves the route, the decision is checked
// through the real request path (authn → rate limit → Casbin → handler).
describe('authorization matrix: every role × route × two tenants', () => {
  let gateway: TestGateway;
  let backends: FakeBackends;
  let throughHttp = 0;

  beforeAll(async () => {
    // Fake crm, retrieval and eval services, so allowed calls succeed.
    backends = await startFakeBackends();
    gateway = await buildTestGateway(
      echoIdentity,
      { signer: backends.signer, ...backends.clients },
      {
        env: {
          RATE_LIMIT_PRINCIPAL_MAX: '100000',
          RATE_LIMIT_ROUTE_MAX: '100000',
        },
      },
    );
  });
  afterAll(async () => {
    await gateway.app.close();
    await backends.stop();
  });

  const cases = ROUTES.flatMap((route) =>
    ROLES.flatMap((role) => TENANTS.map((tenant) => ({ route, role, tenant }))),
  );

  it('covers every route, role and tenant', () => {
    expect(cases).toHaveLength(ROUTES.length * ROLES.length * TENANTS.length);
    expect(new Set(ROLES)).toEqual(
      new Set<Role>([...HUMAN_ROLES, 'service:agent', 'service:eval']),
    );
  });

  it.each(cases)(
    '$route.method $route.path as $role in $tenant',
    async ({ route, role, tenant }) => {
      const expected = route.roles.includes(role);
      const principal = {
        userId: `u-${role}-${tenant}`,
        roles: [role],
        tenant,
        territories: ['amer-east'],
      };
      const decision = gateway.governance.governance.authorizer.canCallRoute(
        principal,
        route.method,
        route.path,
        { tenant },
      );
      expect(decision.allowed, decision.reason).toBe(expected);
      expect(decision.rule.length).toBeGreaterThan(0);

      const served = gateway.app.hasRoute({
        method: route.method,
        url: route.path,
      });
      if (!served || isServiceRole(role)) {
        // Route not yet served by the gateway, or a service identity (which
        // has no HTTP credential yet): the authorizer's decision is the check.
        return;
      }
      const token = await gateway.token({
        sub: principal.userId,
        tenant,
        roles: [role],
      });
      throughHttp += 1;
      const { url, payload, status } = requestFor(route);
      const response = await gateway.app.inject({
        method: route.method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload !== undefined ? { payload } : {}),
      });
      if (expected) {
        expect(response.statusCode, response.body).toBe(status ?? 200);
        return;
      }
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toMatch(
        /^application\/problem\+json/,
      );
      expect(response.json()).toMatchObject({
        status: 403,
        code: 'PERMISSION_DENIED',
      });
      const traceId = String(response.headers['trace-id']);
      const denies = auditEventsOfTrace(gateway, traceId).filter(
        (e) => e.type === AUDIT_EVENT_TYPES.authzDecision,
      );
      expect(denies).toHaveLength(1);
      expect(denies[0]?.tenant).toBe(tenant);
      expect(denies[0]?.data).toMatchObject({
        decision: 'deny',
        resource: `${route.method} ${route.path}`,
        rule: decision.ruleSource
          ? `${decision.ruleSource}: ${decision.rule}`
          : decision.rule,
      });
    },
  );

  it('checked every served route through HTTP for every human role and tenant', () => {
    const served = ROUTES.filter((route) =>
      gateway.app.hasRoute({ method: route.method, url: route.path }),
    );
    // Every route of the policy table has a handler.
    expect(served).toEqual(ROUTES);
    expect(throughHttp).toBe(
      served.length * HUMAN_ROLES.length * TENANTS.length,
    );
  });

  it('serves no /v1 route the policy table does not name', async () => {
    const document = (
      await gateway.app.inject({ method: 'GET', url: '/docs/json' })
    ).json<{ paths: Record<string, Record<string, unknown>> }>();
    const known = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const served: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const method of Object.keys(operations)) {
        const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        served.push(key);
        expect(known.has(key), `${key} is not in @fieldwise/authz ROUTES`).toBe(
          true,
        );
      }
    }
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /v1/whoami',
        'POST /v1/whoami',
        'GET /v1/models',
        'GET /v1/policy',
        'PUT /v1/policy',
        'GET /v1/audit/events',
      ]),
    );
  });

  it('authorizes the route pattern, not the raw URL', async () => {
    const token = await gateway.token({ roles: ['seller'] });
    for (const url of ['/v1/policy/', '/v1//policy', '/v1/./policy']) {
      const response = await gateway.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}` },
      });
      expect([403, 404]).toContain(response.statusCode);
    }
  });
});
