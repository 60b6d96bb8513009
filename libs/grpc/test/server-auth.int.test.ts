import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GrpcStatus } from '@fieldwise/errors';
import { createPrincipalSigner } from '@fieldwise/principal';
import { GrpcCallError } from '../src/index.js';
import { seller, startHarness, type Harness } from './support/harness.js';
import { HealthClient } from './support/health-client.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  vi.useRealTimers();
  await h.close();
});

async function callError(token: string): Promise<GrpcCallError> {
  const error = await h.client
    .echo({ text: 'hi' }, { principalToken: token })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(GrpcCallError);
  return error as GrpcCallError;
}

describe('principal verification', () => {
  it('hands the verified principal to the handler', async () => {
    const response = await h.client.echo(
      { text: 'hi' },
      { principalToken: await h.token() },
    );
    expect(response).toMatchObject({ text: 'hi', userId: 'u-ana' });
  });

  it('passes the acting service of an impersonated principal through', async () => {
    const token = await h.token({
      ...seller,
      actor: {
        id: 'eval-service',
        role: 'service:eval',
        purpose: 'evaluation',
      },
    });
    const response = await h.client.echo(
      { text: 'eval' },
      { principalToken: token },
    );
    expect(response.actorId).toBe('eval-service');
  });

  it('answers UNAUTHENTICATED / PRINCIPAL_MISSING without a token', async () => {
    const error = await callError('');
    expect(error.grpcStatus).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(error.code).toBe('PRINCIPAL_MISSING');
  });

  it('answers PRINCIPAL_EXPIRED for an expired token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 10 * 60_000);
    const stale = await h.token();
    vi.useRealTimers();

    const error = await callError(stale);
    expect(error.grpcStatus).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(error.code).toBe('PRINCIPAL_EXPIRED');
  });

  it('answers PRINCIPAL_INVALID for a token signed with another key', async () => {
    const foreign = await createPrincipalSigner({
      key: new Uint8Array(randomBytes(32)),
    }).sign(seller);
    const error = await callError(foreign);
    expect(error.grpcStatus).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(error.code).toBe('PRINCIPAL_INVALID');
  });

  it('logs the refusal with its reason, and never the token', async () => {
    const foreign = await createPrincipalSigner({
      key: new Uint8Array(randomBytes(32)),
    }).sign(seller);
    await callError(foreign);
    const line = h.lines.findLast(
      (l) => l['errorCode'] === 'PRINCIPAL_INVALID',
    );
    expect(line).toMatchObject({
      grpc: {
        method: '/fieldwise.test.v1.TestService/Echo',
        code: 'UNAUTHENTICATED',
      },
    });
    expect(JSON.stringify(h.lines)).not.toContain(foreign);
  });

  it('lets health checks through without a principal', async () => {
    const health = new HealthClient(h.address);
    const status = await health.check('fieldwise.test.v1.TestService');
    health.close();
    expect(status).toBe('SERVING');
  });
});
