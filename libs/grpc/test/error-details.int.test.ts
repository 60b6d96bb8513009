import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcStatus } from '@fieldwise/errors';
import { GrpcCallError } from '../src/index.js';
import type { FailRequest } from './support/test-service.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function failWith(kind: FailRequest['kind']): Promise<GrpcCallError> {
  const error = await h.client
    .fail({ kind }, { principalToken: await h.token() })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(GrpcCallError);
  return error as GrpcCallError;
}

describe('typed errors over gRPC', () => {
  it('carries BadRequest field violations for VALIDATION_FAILED', async () => {
    const error = await failWith('validation');
    expect(error.grpcStatus).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.violations).toEqual([
      { field: 'account.name', message: 'must not be empty' },
      { field: 'territory', message: 'unknown territory' },
    ]);
    expect(error.method).toBe('/fieldwise.test.v1.TestService/Fail');
  });

  it('carries the ErrorInfo reason and context', async () => {
    const error = await failWith('not-found');
    expect(error.grpcStatus).toBe(GrpcStatus.NOT_FOUND);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe("Account 'acc-42' was not found");
    expect(error.context).toEqual({ resource: 'Account', id: 'acc-42' });
  });

  it('carries RetryInfo when the error says when to retry', async () => {
    const error = await failWith('unavailable');
    expect(error.grpcStatus).toBe(GrpcStatus.UNAVAILABLE);
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.context).toEqual({ dependency: 'postgres' });
    expect(error.message).not.toContain('ECONNREFUSED');
  });

  it('turns a plain Error into INTERNAL with a generic message, logging the real one', async () => {
    const error = await failWith('plain');
    expect(error.grpcStatus).toBe(GrpcStatus.INTERNAL);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('Internal error');
    expect(JSON.stringify(error.context)).not.toContain('postgres://');

    const line = h.lines.findLast((l) => l['msg'] === 'grpc call failed');
    expect(line).toMatchObject({
      level: 50,
      grpc: { method: '/fieldwise.test.v1.TestService/Fail', code: 'INTERNAL' },
    });
    expect(JSON.stringify(line?.['err'])).toContain('secret connection string');
  });

  it('hides the message and context of a deliberate INTERNAL error', async () => {
    const error = await failWith('internal');
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('Internal error');
    expect(error.context).toEqual({});
  });

  it('writes exactly one log line per call, without payloads', async () => {
    const before = h.lines.length;
    await h.client.echo(
      { text: 'confidential pipeline notes' },
      { principalToken: await h.token() },
    );
    const written = h.lines.slice(before);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      msg: 'grpc call',
      userId: 'u-ana',
      grpc: { method: '/fieldwise.test.v1.TestService/Echo', code: 'OK' },
    });
    expect(JSON.stringify(written)).not.toContain('confidential');
  });
});
