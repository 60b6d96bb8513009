import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SpanKind } from '@opentelemetry/api';
import { createInMemoryTracing } from '@fieldwise/telemetry/testing';
import { createPrincipalVerifier } from '@fieldwise/principal';
import {
  createIdentityService,
  startGrpcServer,
  type RunningGrpcServer,
} from '@fieldwise/grpc';
import { GrpcIdentityClient } from '../../src/clients/grpc-identity-client.js';
import { buildTestGateway, type TestGateway } from '../helpers/gateway.js';

// The gateway and a real gRPC service in one process, joined by a real
// channel: the signed principal and the trace travel as they do in production.
describe('GET /v1/whoami through a real gRPC service', () => {
  const tracing = createInMemoryTracing();
  const logger = pino({ level: 'silent' });
  let service: RunningGrpcServer;
  let gateway: TestGateway;
  let identity: GrpcIdentityClient;
  let serviceKey: Uint8Array;

  beforeAll(async () => {
    serviceKey = new Uint8Array(randomBytes(32));
    service = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [createIdentityService('crm')],
      verifier: createPrincipalVerifier({ key: serviceKey }),
      logger,
    });
    const address = `127.0.0.1:${service.port}`;
    identity = new GrpcIdentityClient(
      { agent: address, crm: address, retrieval: address, eval: address },
      { deadlineMs: 5_000, logger },
    );
    gateway = await buildTestGateway(identity);
  });

  afterAll(async () => {
    await gateway.app.close();
    identity.close();
    await service.drain({ timeoutMs: 1_000 });
    await tracing.shutdown();
  });

  async function gatewayWithPrincipalKey(
    key: Uint8Array,
  ): Promise<TestGateway> {
    const { createPrincipalSigner } = await import('@fieldwise/principal');
    return buildTestGateway(identity, {
      signer: createPrincipalSigner({ key }),
    });
  }

  it('returns what the service saw, under the same trace id as the gateway span', async () => {
    const matched = await gatewayWithPrincipalKey(serviceKey);
    try {
      tracing.reset();
      const token = await matched.token({
        sub: 'u-seller-7',
        territories: ['amer-east', 'amer-west'],
      });
      const response = await matched.app.inject({
        method: 'GET',
        url: '/v1/whoami?service=crm',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json<{
        gateway: { traceId: string; principal: { userId: string } };
        service: {
          service: string;
          traceId: string;
          principal: { userId: string; territories: string[] };
        };
      }>();
      expect(body.service.service).toBe('crm');
      expect(body.service.principal).toEqual({
        userId: 'u-seller-7',
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east', 'amer-west'],
      });
      expect(body.gateway.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(body.service.traceId).toBe(body.gateway.traceId);

      const spans = tracing.spans();
      const gatewaySpan = spans.find((span) => span.name === 'GET /v1/whoami');
      const serviceSpan = spans.find(
        (span) =>
          span.name.includes('IdentityService/WhoAmI') &&
          span.kind === SpanKind.SERVER,
      );
      expect(gatewaySpan, spans.map((s) => s.name).join(', ')).toBeDefined();
      expect(serviceSpan, spans.map((s) => s.name).join(', ')).toBeDefined();
      expect(serviceSpan?.spanContext().traceId).toBe(
        gatewaySpan?.spanContext().traceId,
      );
      expect(response.headers['trace-id']).toBe(
        gatewaySpan?.spanContext().traceId,
      );
    } finally {
      await matched.app.close();
    }
  });

  it('maps a service UNAUTHENTICATED (principal signed by another key) to 401 problem+json', async () => {
    // `gateway` signs principals with its own random key, which the service does not trust.
    const token = await gateway.token();
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/v1/whoami',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    expect(response.json()).toMatchObject({
      status: 401,
      code: 'PRINCIPAL_INVALID',
    });
  });

  it('maps an unreachable service to 503 with Retry-After', async () => {
    const dead = new GrpcIdentityClient(
      {
        agent: '127.0.0.1:1',
        crm: '127.0.0.1:1',
        retrieval: '127.0.0.1:1',
        eval: '127.0.0.1:1',
      },
      { deadlineMs: 2_000, logger },
    );
    const isolated = await buildTestGateway(dead);
    try {
      const response = await isolated.app.inject({
        method: 'GET',
        url: '/v1/whoami',
        headers: { authorization: `Bearer ${await isolated.token()}` },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      const body = response.json<{ code: string; detail: string }>();
      expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
    } finally {
      await isolated.app.close();
      dead.close();
    }
  });
});
