import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcClient, type GrpcCallError } from '../src/index.js';
import { TestServiceService } from './support/test-service.js';
import { memoryLogger, startHarness, type Harness } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('client retries', () => {
  it('retries an idempotent call on UNAVAILABLE until it succeeds', async () => {
    const response = await h.client.attempt(
      { key: 'idempotent', failures: 2 },
      { principalToken: await h.token(), idempotent: true },
    );
    expect(response.attempts).toBe(3);
    expect(h.observed.attempts.get('idempotent')).toBe(3);
  });

  it('never retries a call that is not marked idempotent', async () => {
    const error = await h.client
      .attempt(
        { key: 'once', failures: 2 },
        { principalToken: await h.token() },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as GrpcCallError).code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(h.observed.attempts.get('once')).toBe(1);
  });

  it('stops after the configured number of attempts', async () => {
    const error = await h.client
      .attempt(
        { key: 'bounded', failures: 10 },
        { principalToken: await h.token(), idempotent: true },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as GrpcCallError).code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(h.observed.attempts.get('bounded')).toBe(3);
  });

  it('does not retry errors other than UNAVAILABLE', async () => {
    const error = await h.client
      .fail(
        { kind: 'not-found' },
        { principalToken: await h.token(), idempotent: true },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as GrpcCallError).code).toBe('NOT_FOUND');
  });

  it('retries when the server is unreachable, then reports UNAVAILABLE', async () => {
    // Port 1 on loopback refuses connections: every attempt fails fast.
    const { logger, lines } = memoryLogger();
    const dead = createGrpcClient(TestServiceService, '127.0.0.1:1', {
      retry: { maxAttempts: 2, initialBackoffMs: 5, maxBackoffMs: 10 },
      logger,
    });
    const error = await dead
      .echo(
        { text: 'x' },
        {
          principalToken: await h.token(),
          idempotent: true,
          deadlineMs: 5_000,
        },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    dead.close();
    expect((error as GrpcCallError).code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(lines.filter((l) => l['msg'] === 'grpc call retrying')).toHaveLength(
      1,
    );
  });
});
