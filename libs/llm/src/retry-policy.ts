/** How a model call retries transient failures (429, 5xx, lost connections). */
export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  readonly maxRetries: number;
  /** Backoff before the first retry; doubles each retry. */
  readonly baseDelayMs: number;
  /** Upper bound of a computed backoff. */
  readonly maxDelayMs: number;
  /**
   * Longest server-requested wait (`retry-after`) worth honouring; a longer
   * one ends the call at once with `RATE_LIMITED` carrying that wait.
   */
  readonly maxRetryAfterMs: number;
}

/** Defaults: 500 ms doubling up to 8 s, server waits honoured up to 30 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

/**
 * HTTP statuses worth retrying: request timeout (408), lock conflict (409),
 * rate limit (429) and server errors (5xx), as the providers document.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait a server asked for, in milliseconds: `retry-after-ms` (OpenAI and
 * Azure), else `retry-after` as seconds or an HTTP date. `undefined` when
 * absent or unreadable; never negative.
 */
export function retryAfterMs(
  headers: Headers | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (headers === undefined) return undefined;
  const millis = headers.get('retry-after-ms');
  if (millis !== null && /^\d+(\.\d+)?$/.test(millis.trim())) {
    return Math.ceil(Number(millis));
  }
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value.length === 0) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/**
 * Exponential backoff with "equal jitter" before retry number `retry`
 * (1-based): half of `base·2^(retry-1)` (capped) plus a random part of the
 * other half, so concurrent clients spread out but never retry instantly.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** Math.max(0, retry - 1),
  );
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
