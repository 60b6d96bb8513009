import { setTimeout as delay } from 'node:timers/promises';
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { CallDeadline } from './call-deadline.js';
import { httpErrorOf, isRetryableProviderError } from './provider-errors.js';
import {
  backoffDelayMs,
  retryAfterMs,
  type RetryPolicy,
} from './retry-policy.js';

/** Waits `ms`, rejecting when `signal` fires. Injectable so tests can record waits. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** The real wait: a timer that the call's signal cancels. */
export const abortableSleep: Sleep = (ms, signal) =>
  delay(ms, undefined, { signal });

/** What {@link RetryLoop} needs from its model adapter. */
export interface RetryLoopDeps {
  readonly policy: RetryPolicy;
  readonly logger: Logger;
  readonly span: Span;
  readonly deadline: CallDeadline;
  readonly sleep: Sleep;
  readonly random: () => number;
}

/**
 * Decides, after a failed attempt, whether to try again, and waits before it
 * does. A retry happens only when nothing reached the caller yet, the error
 * is transient, attempts remain, and the wait (the server's `retry-after`, or
 * exponential backoff with jitter) fits both the policy and the deadline.
 */
export class RetryLoop {
  readonly #deps: RetryLoopDeps;
  #attempts = 0;

  constructor(deps: RetryLoopDeps) {
    this.#deps = deps;
  }

  /** Attempts started so far. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Call before each attempt. */
  begin(): void {
    this.#attempts += 1;
  }

  /**
   * Resolves true after waiting when the failed attempt should be repeated,
   * false when the error must go to the caller.
   */
  async retryAfter(
    error: unknown,
    streamedToCaller: boolean,
  ): Promise<boolean> {
    const { policy, deadline, logger, span } = this.#deps;
    if (streamedToCaller || deadline.stopped) return false;
    if (!isRetryableProviderError(error)) return false;
    const retry = this.#attempts;
    if (retry > policy.maxRetries) return false;
    const http = httpErrorOf(error);
    const requested = retryAfterMs(http?.headers);
    if (requested !== undefined && requested > policy.maxRetryAfterMs) {
      return false;
    }
    const waitMs =
      requested ?? backoffDelayMs(retry, policy, this.#deps.random);
    if (waitMs >= deadline.remainingMs()) return false;
    const httpStatus = http?.status;
    logger.warn(
      {
        attempt: retry,
        httpStatus,
        waitMs,
        serverRequested: requested !== undefined,
      },
      'model call failed transiently; retrying',
    );
    span.addEvent('fieldwise.llm.retry', {
      attempt: retry,
      wait_ms: waitMs,
      ...(httpStatus !== undefined
        ? { 'http.response.status_code': httpStatus }
        : {}),
    });
    try {
      await this.#deps.sleep(waitMs, deadline.signal);
    } catch {
      // The wait was cut by cancel or timeout; the caller reports which.
      return false;
    }
    return !deadline.stopped;
  }
}
