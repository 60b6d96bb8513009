/** Exponential backoff with a cap and jitter. */
export interface BackoffOptions {
  /** Delay after the first failure. */
  readonly initialMs: number;
  /** No delay exceeds this. */
  readonly maxMs: number;
  /** Growth per consecutive failure. */
  readonly factor: number;
  /** Fraction of the delay drawn at random (0 = none, 1 = full jitter). */
  readonly jitter: number;
}

/** Defaults for the outbox relay: 200 ms doubling to 30 s, 20% jitter. */
export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 200,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.2,
};

/**
 * The delay before retry number `failures` (1 = after the first failure):
 * `initialMs * factor^(failures-1)`, capped at `maxMs`, minus up to
 * `jitter` of itself at random so many relays do not retry in lockstep.
 * Always within `[0, maxMs]`.
 */
export function backoffDelay(
  failures: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(
    options.maxMs,
    options.initialMs * Math.pow(options.factor, exponent),
  );
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.max(0, Math.round(base * (1 - jitter * random())));
}
