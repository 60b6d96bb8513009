/** The names of the limits a request can reach, in the order they are checked. */
export type LimitName = 'principal' | 'route' | 'token-budget';

/** One limit's state after a request was counted against it. */
export interface LimitState {
  readonly name: LimitName;
  /** Requests (or tokens) allowed per window. */
  readonly max: number;
  readonly windowMs: number;
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
  readonly exceeded: boolean;
  /** Where the count was kept: shared Redis, or this process. */
  readonly store: 'redis' | 'memory';
}

/**
 * `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers): every limit
 * that applies to the route, e.g. `"principal";q=600;w=60, "route";q=120;w=60`.
 */
export function rateLimitPolicyHeader(states: readonly LimitState[]): string {
  return states
    .map(
      (s) =>
        `"${s.name}";q=${s.max};w=${Math.max(1, Math.ceil(s.windowMs / 1000))}`,
    )
    .join(', ');
}

/** `RateLimit`: what is left of each limit, e.g. `"route";r=0;t=12`. */
export function rateLimitHeader(states: readonly LimitState[]): string {
  return states
    .map((s) => `"${s.name}";r=${s.remaining};t=${s.resetSeconds}`)
    .join(', ');
}
