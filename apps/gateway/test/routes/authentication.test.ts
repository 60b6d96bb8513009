import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';

describe('bearer authentication', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await buildTestGateway(echoIdentity);
  });
  afterAll(async () => {
    await gateway.app.close();
  });

  async function whoami(authorization?: string) {
    return gateway.app.inject({
      method: 'GET',
      url: '/v1/whoami',
      headers: authorization ? { authorization } : {},
    });
  }

  it.each([
    ['no header', undefined, 'AUTH_MISSING'],
    ['not a bearer token', 'Basic dXNlcjpwYXNz', 'AUTH_INVALID'],
    ['garbage token', 'Bearer not.a.jwt', 'AUTH_INVALID'],
  ])('rejects %s with 401 problem+json', async (_name, header, code) => {
    const response = await whoami(header);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    expect(response.json()).toMatchObject({ status: 401, code });
  });

  it('rejects an expired token', async () => {
    const token = await gateway.token(
      {},
      { expiresIn: Math.floor(Date.now() / 1000) - 60 },
    );
    const response = await whoami(`Bearer ${token}`);
    expect(response.json()).toMatchObject({
      status: 401,
      code: 'AUTH_EXPIRED',
    });
  });

  it('rejects a token signed with another key', async () => {
    const token = await gateway.token(
      {},
      { secret: new Uint8Array(randomBytes(32)) },
    );
    const response = await whoami(`Bearer ${token}`);
    expect(response.json()).toMatchObject({
      status: 401,
      code: 'AUTH_INVALID',
    });
  });

  it('rejects claims that name no valid role', async () => {
    const token = await gateway.token({ roles: ['superuser'] });
    const response = await whoami(`Bearer ${token}`);
    expect(response.json()).toMatchObject({
      status: 401,
      code: 'AUTH_INVALID',
    });
  });

  it('ignores roles sent in headers', async () => {
    const token = await gateway.token({ roles: ['seller'] });
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/whoami',
      headers: {
        authorization: `Bearer ${token}`,
        'x-fieldwise-roles': 'admin',
        'x-role': 'admin',
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      gateway: { principal: { roles: ['seller'] } },
    });
  });

  it('serves health and the OpenAPI document without a token', async () => {
    expect(
      (await gateway.app.inject({ method: 'GET', url: '/healthz' })).statusCode,
    ).toBe(200);
    expect(
      (await gateway.app.inject({ method: 'GET', url: '/readyz' })).statusCode,
    ).toBe(200);
    const docs = await gateway.app.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    const document = docs.json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain('/v1/whoami');
  });
});
