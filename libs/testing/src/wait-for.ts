/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Poll interval in ms. Default 25. */
  readonly intervalMs?: number;
  /** Names the condition in the timeout error. */
  readonly description?: string;
}

/**
 * Polls `condition` until it returns true, then resolves. Rejects with an
 * error naming `description` if it is still false after `timeoutMs`: a test
 * waits for an outcome, it never asserts on how long it took.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${options.description ?? 'a condition'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
