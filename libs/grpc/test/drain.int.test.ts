import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceError } from '@grpc/grpc-js';
import { GrpcStatus } from '@fieldwise/errors';
import { fromGrpcError, GrpcCallError } from '../src/index.js';
import { memoryLogger, startHarness, type Harness } from './support/harness.js';
import { HealthClient } from './support/health-client.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function check(address: string, service: string): Promise<string> {
  const client = new HealthClient(address);
  try {
    return await client.check(service);
  } finally {
    client.close();
  }
}

describe('health and draining', () => {
  it('reports SERVING, and NOT_SERVING after setServing(false)', async () => {
    h = await startHarness();
    expect(await check(h.address, '')).toBe('SERVING');
    expect(await check(h.address, 'fieldwise.test.v1.TestService')).toBe(
      'SERVING',
    );

    h.server.setServing(false);
    expect(await check(h.address, '')).toBe('NOT_SERVING');
    expect(await check(h.address, 'fieldwise.test.v1.TestService')).toBe(
      'NOT_SERVING',
    );
  });

  it('tells health watchers NOT_SERVING when the drain starts, then ends their stream', async () => {
    h = await startHarness();
    const client = new HealthClient(h.address);
    const watch = client.watch('');
    const statuses: string[] = [];
    const ended = new Promise<ServiceError>((resolve) => {
      watch.on('data', (message: { status: string }) => {
        statuses.push(message.status);
        if (message.status === 'SERVING')
          void h?.server.drain({ timeoutMs: 2_000 });
      });
      watch.on('error', resolve);
    });

    const error = await ended;
    client.close();
    expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
    expect(error.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(fromGrpcError(error).code).toBe('SHUTTING_DOWN');
  });

  it('lets an open server stream write a last event, then ends it with UNAVAILABLE / SHUTTING_DOWN', async () => {
    h = await startHarness();
    const received: number[] = [];
    const consume = (async () => {
      for await (const tick of h.client.ticks(
        { count: 0 },
        { principalToken: await h.token(), deadlineMs: 30_000 },
      )) {
        received.push(tick.n);
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    await h.observed.ticksStarted;
    const result = await h.server.drain({ timeoutMs: 5_000 });
    const error = await consume;

    expect(error).toBeInstanceOf(GrpcCallError);
    expect((error as GrpcCallError).grpcStatus).toBe(GrpcStatus.UNAVAILABLE);
    expect((error as GrpcCallError).code).toBe('SHUTTING_DOWN');
    expect(received.length).toBeGreaterThan(1);
    // The handler saw the drain and wrote its last event before the status.
    expect(received.at(-1)).toBe(-1);
    expect(h.observed.aborts.map((e) => e.code)).toEqual(['SHUTTING_DOWN']);
    expect(result.forced).toBe(false);
  });

  it('lets an in-flight unary call finish during the drain', async () => {
    h = await startHarness();
    const pending = h.client.slow(
      { text: 'finishing' },
      { principalToken: await h.token() },
    );
    await h.observed.slowStarted;
    const drained = h.server.drain({ timeoutMs: 5_000 });
    h.observed.releaseSlow?.();

    expect(await pending).toMatchObject({ text: 'finishing' });
    expect(await drained).toEqual({ signal: undefined, forced: false });
    expect(await h.server.stopped).toEqual({
      signal: undefined,
      forced: false,
    });
  });

  it('cuts off unary calls still running at the drain bound', async () => {
    h = await startHarness();
    const pending = h.client
      .slow({ text: 'too slow' }, { principalToken: await h.token() })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    await h.observed.slowStarted;
    const result = await h.server.drain({ timeoutMs: 100 });

    expect(result.forced).toBe(true);
    expect(((await pending) as GrpcCallError).grpcStatus).toBe(
      GrpcStatus.UNAVAILABLE,
    );
    expect(h.observed.aborts.map((e) => e.code)).toEqual(['SHUTTING_DOWN']);
  });

  it('drains on SIGTERM when asked to, without exiting the process', async () => {
    h = await startHarness({ handleSignals: true, drainTimeoutMs: 1_000 });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await h.server.stopped).toEqual({
      signal: 'SIGTERM',
      forced: false,
    });
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('binding', () => {
  it('reports an address that cannot be bound as CONFIG_INVALID', async () => {
    h = await startHarness();
    const taken = h.server.port;
    const { logger, lines } = memoryLogger();
    await expect(startHarness({ port: taken, logger })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      context: { address: `127.0.0.1:${taken}` },
    });
    // grpc-js's own complaint lands in the logger, not on the console.
    expect(lines.some((l) => l['source'] === 'grpc-js')).toBe(true);
  });
});
