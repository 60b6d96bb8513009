import { describe, expect, it } from 'vitest';
import { effectiveDeadline } from '../src/call-deadline.js';

const now = 1_000_000;

describe('effectiveDeadline', () => {
  it("keeps the client's deadline when within the maximum", () => {
    expect(
      effectiveDeadline(now + 2_000, { maxMs: 10_000 }, now).getTime(),
    ).toBe(now + 2_000);
    expect(effectiveDeadline(new Date(now + 3_000), {}, now).getTime()).toBe(
      now + 3_000,
    );
  });

  it('applies the default to a call without a deadline', () => {
    expect(effectiveDeadline(Infinity, { defaultMs: 500 }, now).getTime()).toBe(
      now + 500,
    );
    expect(effectiveDeadline(Infinity, {}, now).getTime()).toBe(now + 30_000);
  });

  it('caps both at the maximum', () => {
    expect(
      effectiveDeadline(now + 60_000, { maxMs: 1_000 }, now).getTime(),
    ).toBe(now + 1_000);
    expect(
      effectiveDeadline(
        Infinity,
        { defaultMs: 5_000, maxMs: 1_000 },
        now,
      ).getTime(),
    ).toBe(now + 1_000);
  });
});
