import type { Logger } from 'pino';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  type BackoffOptions,
} from './backoff.js';
import type { EventPublisher } from './event-publisher.js';
import type { Outbox } from './outbox.js';

/** Options for {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  readonly outbox: Outbox;
  readonly publisher: EventPublisher;
  readonly logger: Logger;
  /** Rows per publish. Default 500. */
  readonly batchSize?: number;
  /** Idle poll interval; appends through the same outbox wake it sooner. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** Retry backoff after failed publishes. Default {@link DEFAULT_BACKOFF}. */
  readonly backoff?: Partial<BackoffOptions>;
  /** Clock (epoch ms) for `lagMs`. */
  readonly now?: () => number;
}

/** What {@link OutboxRelay.stop} achieved. */
export interface RelayStopResult {
  /** True if nothing was pending when the relay stopped. */
  readonly flushed: boolean;
  /** Rows still pending; they are published by the next relay to run. */
  readonly pending: number;
}

type SleepKind = 'idle' | 'backoff';

/**
 * Moves outbox rows to the broker: reads pending rows in batches, in order,
 * publishes them, and marks them sent only after the publisher resolved
 * (the broker acknowledged). A failed batch stays pending, its attempt and
 * error are recorded, and the relay retries after a capped exponential
 * backoff, forever: an outage delays events, never drops them. Appends keep
 * succeeding meanwhile, since they touch only the outbox.
 */
export class OutboxRelay {
  private readonly outbox: Outbox;
  private readonly publisher: EventPublisher;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: BackoffOptions;
  private readonly now: () => number;

  private loop: Promise<void> | undefined;
  private stopping = false;
  private halted = false;
  private failures = 0;
  private sleeping: { kind: SleepKind; wake: () => void } | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(options: OutboxRelayOptions) {
    this.outbox = options.outbox;
    this.publisher = options.publisher;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.now = options.now ?? Date.now;
  }

  /** Starts the background loop; a no-op if it is running. */
  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.halted = false;
    this.unsubscribe = this.outbox.onAppend(() => this.wake('idle'));
    this.loop = this.run();
  }

  /**
   * Stops the loop after publishing what is pending, waiting at most
   * `flushTimeoutMs` (default 5 s). Rows not acknowledged by then stay in
   * the outbox. Does not close the publisher or the outbox: their owner does.
   */
  async stop(
    options: { flushTimeoutMs?: number } = {},
  ): Promise<RelayStopResult> {
    const loop = this.loop;
    if (loop === undefined) return this.stopResult();
    this.stopping = true;
    this.unsubscribe?.();
    this.wake('idle');
    this.wake('backoff');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.flushTimeoutMs ?? 5000);
    });
    await Promise.race([loop, deadline]);
    clearTimeout(timer);
    this.halted = true;
    this.wake('idle');
    this.wake('backoff');
    this.loop = undefined;
    const result = this.stopResult();
    if (!result.flushed) {
      this.logger.warn(
        { pending: result.pending },
        'outbox relay stopped with events pending',
      );
    }
    return result;
  }

  /** Rows waiting to be published. */
  depth(): number {
    return this.outbox.depth();
  }

  /** Age in ms of the oldest pending row; 0 when nothing is pending. */
  lagMs(): number {
    const oldest = this.outbox.oldestPendingAt();
    return oldest === null ? 0 : Math.max(0, this.now() - oldest);
  }

  /** Consecutive failed publishes since the last success. */
  consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Publishes one batch of pending rows now and returns how many were
   * acknowledged (0 when none was pending). Rejects, leaving the rows
   * pending with the error recorded, if the publisher fails.
   */
  async publishBatch(): Promise<number> {
    const records = this.outbox.pending(this.batchSize);
    if (records.length === 0) return 0;
    const ids = records.map((record) => record.id);
    try {
      await this.publisher.publish(records);
    } catch (error) {
      this.outbox.markFailed(ids, describe(error));
      throw error;
    }
    this.outbox.markSent(ids);
    return records.length;
  }

  private async run(): Promise<void> {
    while (!this.halted) {
      let published: number;
      try {
        published = await this.publishBatch();
      } catch (error) {
        if (this.halted) break;
        this.failures += 1;
        const delayMs = backoffDelay(this.failures, this.backoff);
        this.logger.warn(
          { err: error, failures: this.failures, retryInMs: delayMs },
          'outbox relay could not publish; events stay pending',
        );
        await this.sleep('backoff', delayMs);
        continue;
      }
      if (this.failures > 0) {
        this.logger.info({ failures: this.failures }, 'outbox relay recovered');
        this.failures = 0;
      }
      if (published === 0) {
        if (this.stopping) break;
        await this.sleep('idle', this.pollIntervalMs);
      }
    }
  }

  private sleep(kind: SleepKind, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const sleeping = { kind, wake: done };
      this.sleeping = sleeping;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.sleeping = undefined;
    });
  }

  private wake(kind: SleepKind): void {
    if (this.sleeping?.kind === kind) this.sleeping.wake();
  }

  private stopResult(): RelayStopResult {
    const pending = this.outbox.depth();
    return { flushed: pending === 0, pending };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
