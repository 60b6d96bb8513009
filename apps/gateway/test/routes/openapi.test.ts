import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '@fieldwise/authz';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import {
  startFakeBackends,
  type FakeBackends,
} from '../helpers/fake-backends.js';

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

// `/v1/accounts/:id` as OpenAPI spells it.
function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

describe('the OpenAPI document', () => {
  let fake: FakeBackends;
  let gateway: TestGateway;
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    fake = await startFakeBackends();
    gateway = await buildTestGateway(echoIdentity, {
      signer: fake.signer,
      ...fake.clients,
    });
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/docs/json',
    });
    expect(response.statusCode).toBe(200);
    paths = response.json<{ paths: typeof paths }>().paths;
  });
  afterAll(async () => {
    await gateway.app.close();
    await fake.stop();
  });

  it.each(ROUTES.map((route) => [route.method, route.path] as const))(
    'documents %s %s with a summary, its success body and problem responses',
    (method, path) => {
      const operation = paths[openApiPath(path)]?.[method.toLowerCase()];
      expect(operation, `${method} ${path} is missing`).toBeDefined();
      expect(operation?.summary).toBeTruthy();
      const statuses = Object.keys(operation?.responses ?? {});
      const success = statuses.filter((s) => s.startsWith('2'));
      expect(success.length).toBeGreaterThan(0);
      for (const status of success) {
        const content = operation?.responses[status]?.content ?? {};
        expect(
          Object.values(content).some((media) => media.schema !== undefined),
          `${method} ${path} ${status} has no schema`,
        ).toBe(true);
      }
      expect(statuses).toEqual(expect.arrayContaining(['401', '403']));
      // Path parameters are declared, never left implicit.
      for (const name of path.match(/:(\w+)/g) ?? []) {
        expect(
          operation?.parameters?.some(
            (p) => p.in === 'path' && p.name === name.slice(1),
          ),
          `${method} ${path} does not declare ${name}`,
        ).toBe(true);
      }
    },
  );

  it('documents the query parameters and bodies of the data routes', () => {
    const names = (path: string) =>
      (paths[path]?.get?.parameters ?? []).map((p) => p.name);
    expect(names('/v1/accounts')).toEqual(
      expect.arrayContaining(['q', 'pageSize', 'pageToken']),
    );
    expect(names('/v1/accounts/{id}/consumption')).toEqual(
      expect.arrayContaining(['from', 'to', 'months', 'productLine', 'cloud']),
    );
    expect(names('/v1/collateral/search')).toEqual(
      expect.arrayContaining([
        'q',
        'type',
        'product',
        'competitor',
        'industry',
        'region',
        'limit',
      ]),
    );
    expect(names('/v1/alerts/hygiene')).toEqual(
      expect.arrayContaining(['horizonDays', 'limit']),
    );
    for (const path of ['/v1/documents', '/v1/evals/runs']) {
      const body = paths[path]?.post?.requestBody?.content['application/json'];
      expect(body?.schema, `${path} body`).toBeDefined();
    }
    const report = paths['/v1/evals/runs/{id}/report']?.get;
    expect(Object.keys(report?.responses['200']?.content ?? {})).toContain(
      'text/html',
    );
  });
});
