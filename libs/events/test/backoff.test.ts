import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/index.js';

describe('backoffDelay', () => {
  it('grows exponentially without jitter and stops at the cap', () => {
    const options = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 };
    expect([1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n, options))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('stays within [0, maxMs] for any failure count and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        // A random draw is never NaN; fast-check generates NaN unless told not to.
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (n, r) => {
          const delay = backoffDelay(n, DEFAULT_BACKOFF, () => r);
          return delay >= 0 && delay <= DEFAULT_BACKOFF.maxMs;
        },
      ),
    );
  });
});
