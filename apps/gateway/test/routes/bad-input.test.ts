import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';

// Malformed requests must end as documented 4xx problem+json, never 5xx.
describe('bad input', () => {
  let gateway: TestGateway;
  let auth: { authorization: string };

  beforeAll(async () => {
    gateway = await buildTestGateway(echoIdentity);
    auth = { authorization: `Bearer ${await gateway.token()}` };
  });
  afterAll(async () => {
    await gateway.app.close();
  });

  function expectProblem(
    response: {
      statusCode: number;
      headers: Record<string, unknown>;
      json(): unknown;
    },
    status: number,
    code: string,
  ): Record<string, unknown> {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    const body = response.json() as Record<string, unknown>;
    expect(body).toMatchObject({ status, code });
    expect(body.type).toMatch(/^https:\/\/fieldwise\.dev\/problems\//);
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
    expect(typeof body.instance).toBe('string');
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    return body;
  }

  it('rejects malformed JSON with 400 MALFORMED_BODY', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/whoami',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"service": "crm",',
    });
    expectProblem(response, 400, 'MALFORMED_BODY');
  });

  it('rejects a wrong content type with 415', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/whoami',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<service>crm</service>',
    });
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects an oversized body with 413', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/whoami',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({
        service: 'crm',
        padding: 'x'.repeat(100 * 1024),
      }),
    });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('names the invalid field on schema violations', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/whoami',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ service: 'billing' }),
    });
    const body = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([
      expect.objectContaining({ field: 'body.service' }),
    ]);
  });

  it('rejects unknown body fields', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/whoami',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ service: 'crm', role: 'admin' }),
    });
    expectProblem(response, 400, 'VALIDATION_FAILED');
  });

  it('answers unknown routes with 404 problem+json', async () => {
    for (const [method, url] of [
      ['GET', '/v1/nope'],
      ['DELETE', '/v1/whoami'],
      ['GET', '/%'],
      ['POST', '/'],
    ] as const) {
      const response = await gateway.app.inject({ method, url, headers: auth });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(
        /^application\/problem\+json/,
      );
    }
    expectProblem(
      await gateway.app.inject({
        method: 'GET',
        url: '/v1/nope',
        headers: auth,
      }),
      404,
      'ROUTE_NOT_FOUND',
    );
  });

  it('never leaks the query string into the problem instance', async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/whoami?service=billing&email=jane@example.com',
      headers: auth,
    });
    const body = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(body.instance).toBe('/v1/whoami');
  });
});
