import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcCallError } from '../src/index.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('server streaming', () => {
  it('delivers every message, then ends', async () => {
    const ticks: number[] = [];
    for await (const tick of h.client.ticks(
      { count: 3 },
      { principalToken: await h.token() },
    )) {
      ticks.push(tick.n);
    }
    expect(ticks).toEqual([1, 2, 3]);
  });

  it('surfaces a handler error as a decoded FieldwiseError after the messages sent', async () => {
    const ticks: number[] = [];
    const error = await (async () => {
      for await (const tick of h.client.ticks(
        { count: -1 },
        { principalToken: await h.token() },
      )) {
        ticks.push(tick.n);
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ticks).toEqual([0]);
    expect(error).toBeInstanceOf(GrpcCallError);
    expect((error as GrpcCallError).code).toBe('VALIDATION_FAILED');
    expect((error as GrpcCallError).violations).toEqual([
      { field: 'count', message: 'must not be negative' },
    ]);
  });

  it('cancels the call when the consumer stops early, and the handler sees CANCELLED', async () => {
    const before = h.observed.aborts.length;
    for await (const tick of h.client.ticks(
      { count: 0 },
      { principalToken: await h.token() },
    )) {
      if (tick.n === 2) break;
    }
    await expect.poll(() => h.observed.aborts.length).toBe(before + 1);
    expect(h.observed.aborts.at(-1)?.code).toBe('CANCELLED');
    await expect.poll(() => h.server.activeCalls).toBe(0);
  });

  it('rejects a stream without a principal before the handler runs', async () => {
    const error = await (async () => {
      for await (const _tick of h.client.ticks(
        { count: 1 },
        { principalToken: '' },
      )) {
        // no message may arrive
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as GrpcCallError).code).toBe('PRINCIPAL_MISSING');
  });
});
