import type { Logger } from 'pino';

/** Settings of {@link openWithRetry}. */
export interface OpenWithRetryOptions {
  /** What is being opened, for the log (`crm store`). */
  readonly what: string;
  readonly logger: Logger;
  /** Receives each failure (readiness reports the last one). */
  readonly onError?: (error: unknown) => void;
  /** First wait between attempts; doubles up to `maxDelayMs`. Default 250 ms. */
  readonly initialDelayMs?: number;
  /** Default 5 s. */
  readonly maxDelayMs?: number;
}

/**
 * Calls `open` until it succeeds, waiting longer after each failure and
 * logging each one as a warning. A service whose hard dependency is down at
 * start stays up and not ready (its probes say why) instead of crashing in
 * a loop; the orchestrator's startup probe bounds the wait.
 */
export async function openWithRetry<T>(
  open: () => Promise<T>,
  options: OpenWithRetryOptions,
): Promise<T> {
  let delayMs = options.initialDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      options.onError?.(error);
      options.logger.warn(
        { err: error, attempt, retryInMs: delayMs },
        `${options.what} unavailable; retrying`,
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    }
  }
}
