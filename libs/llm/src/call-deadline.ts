import type { CallStopState } from './provider-errors.js';

/**
 * One call's abort signal: it fires when the caller's signal fires
 * (`cancelled`), when the timeout passes (`timedOut`), or on `dispose()`
 * (the caller stopped reading). `state` tells which, so the error can say.
 */
export class CallDeadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = (): void => {
    this.#cancelled = true;
    this.#controller.abort();
  };
  readonly #expiresAt: number;
  readonly timeoutMs: number;
  #cancelled = false;
  #timedOut = false;

  constructor(timeoutMs: number, callerSignal?: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.#expiresAt = Date.now() + timeoutMs;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, timeoutMs);
    // A pending timer must not keep a shutting-down process alive.
    this.#timer.unref();
    this.#callerSignal = callerSignal;
    if (callerSignal?.aborted) this.#onCallerAbort();
    else callerSignal?.addEventListener('abort', this.#onCallerAbort);
  }

  /** Fires on cancel, timeout or dispose. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True once cancelled or timed out. */
  get stopped(): boolean {
    return this.#cancelled || this.#timedOut;
  }

  get state(): CallStopState {
    return {
      cancelled: this.#cancelled,
      timedOut: this.#timedOut,
      timeoutMs: this.timeoutMs,
    };
  }

  /** Milliseconds left before the timeout. */
  remainingMs(): number {
    return Math.max(0, this.#expiresAt - Date.now());
  }

  /** Stops the timer, detaches from the caller's signal and aborts any request still open. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
    if (!this.#controller.signal.aborted) this.#controller.abort();
  }
}
