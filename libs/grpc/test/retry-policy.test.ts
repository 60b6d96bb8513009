import { describe, expect, it } from 'vitest';
import { FieldwiseError } from '@fieldwise/errors';
import { fromGrpcError, isRetryable, nextBackoffMs } from '../src/index.js';

const unavailable = new FieldwiseError('DEPENDENCY_UNAVAILABLE');
const now = 1_000_000;
const farDeadline = new Date(now + 60_000);
const options = { maxAttempts: 4, initialBackoffMs: 100, maxBackoffMs: 300 };

describe('retry policy', () => {
  it('retries UNAVAILABLE only', () => {
    expect(isRetryable(unavailable)).toBe(true);
    expect(isRetryable(new FieldwiseError('SHUTTING_DOWN'))).toBe(true);
    expect(isRetryable(new FieldwiseError('DEADLINE_EXCEEDED'))).toBe(false);
    expect(isRetryable(new FieldwiseError('INTERNAL'))).toBe(false);
    expect(isRetryable(fromGrpcError({ code: 14 }))).toBe(true);
  });

  it('backs off exponentially up to the cap, with full jitter', () => {
    const top = () => 0.999;
    expect(nextBackoffMs(1, unavailable, farDeadline, options, top, now)).toBe(
      99,
    );
    expect(nextBackoffMs(2, unavailable, farDeadline, options, top, now)).toBe(
      199,
    );
    expect(nextBackoffMs(3, unavailable, farDeadline, options, top, now)).toBe(
      299,
    );
    expect(
      nextBackoffMs(1, unavailable, farDeadline, options, () => 0, now),
    ).toBe(0);
  });

  it('stops when attempts are exhausted', () => {
    expect(
      nextBackoffMs(4, unavailable, farDeadline, options, () => 0.5, now),
    ).toBeUndefined();
  });

  it('never waits past the deadline', () => {
    const close = new Date(now + 50);
    expect(
      nextBackoffMs(2, unavailable, close, options, () => 0.9, now),
    ).toBeUndefined();
  });

  it('waits at least as long as the server asked', () => {
    const slowDown = new FieldwiseError('DEPENDENCY_UNAVAILABLE', 'x', {
      retryAfterSeconds: 2,
    });
    expect(
      nextBackoffMs(1, slowDown, farDeadline, options, () => 0.5, now),
    ).toBe(2_000);
    expect(
      nextBackoffMs(
        1,
        slowDown,
        new Date(now + 1_000),
        options,
        () => 0.5,
        now,
      ),
    ).toBeUndefined();
  });
});
