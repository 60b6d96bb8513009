import { GrpcStatus, type FieldwiseError } from '@fieldwise/errors';
import { GrpcCallError } from './grpc-call-error.js';

/** Retry settings for idempotent calls. */
export interface RetryOptions {
  /** Attempts in total, the first included; default 3. */
  readonly maxAttempts?: number;
  /** Upper bound of the first backoff; default 50 ms. */
  readonly initialBackoffMs?: number;
  /** Upper bound of any backoff; default 2 s. */
  readonly maxBackoffMs?: number;
}

const DEFAULTS = { maxAttempts: 3, initialBackoffMs: 50, maxBackoffMs: 2_000 };

/**
 * Whether a failed attempt may be tried again. Only UNAVAILABLE qualifies:
 * the server did not run the call or stopped before finishing. Every
 * attempt shares the call's one deadline, so DEADLINE_EXCEEDED means no
 * time is left and is never retried.
 */
export function isRetryable(error: FieldwiseError): boolean {
  const status =
    error instanceof GrpcCallError ? error.grpcStatus : error.status;
  return status === GrpcStatus.UNAVAILABLE;
}

/**
 * The wait before attempt `attempt + 1`, or undefined when no further
 * attempt should be made: attempts exhausted, or the wait would end past
 * `deadline`. Exponential backoff with full jitter, never shorter than the
 * server's RetryInfo delay.
 */
export function nextBackoffMs(
  attempt: number,
  error: FieldwiseError,
  deadline: Date,
  options: RetryOptions = {},
  random: () => number = Math.random,
  now = Date.now(),
): number | undefined {
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  if (attempt >= maxAttempts) return undefined;
  const initial = options.initialBackoffMs ?? DEFAULTS.initialBackoffMs;
  const cap = options.maxBackoffMs ?? DEFAULTS.maxBackoffMs;
  const ceiling = Math.min(cap, initial * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  const delay = Math.max(jittered, (error.retryAfterSeconds ?? 0) * 1000);
  return now + delay < deadline.getTime() ? delay : undefined;
}
