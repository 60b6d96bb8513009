import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  retryAfterMs,
} from '../src/index.js';

describe('retryAfterMs', () => {
  it('reads retry-after-ms first, then retry-after seconds', () => {
    expect(
      retryAfterMs(
        new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }),
      ),
    ).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
  });

  it('reads an HTTP date against the given clock, never negative', () => {
    const now = () => Date.parse('Wed, 21 Oct 2025 07:28:00 GMT');
    const headers = new Headers({
      'retry-after': 'Wed, 21 Oct 2025 07:28:03 GMT',
    });
    expect(retryAfterMs(headers, now)).toBe(3000);
    const past = new Headers({
      'retry-after': 'Wed, 21 Oct 2025 07:27:00 GMT',
    });
    expect(retryAfterMs(past, now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(
      retryAfterMs(new Headers({ 'retry-after': 'soon' })),
    ).toBeUndefined();
    expect(
      retryAfterMs(new Headers({ 'retry-after-ms': '-5' })),
    ).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  const policy = {
    ...DEFAULT_RETRY_POLICY,
    baseDelayMs: 100,
    maxDelayMs: 1000,
  };

  it('doubles per retry within [ceiling/2, ceiling] and stops at the cap', () => {
    expect(
      [1, 2, 3, 4, 5, 6].map((r) => backoffDelayMs(r, policy, () => 0)),
    ).toEqual([50, 100, 200, 400, 500, 500]);
    expect(
      [1, 2, 3, 4, 5, 6].map((r) => backoffDelayMs(r, policy, () => 0.999999)),
    ).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
