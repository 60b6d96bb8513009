import type { Logger } from 'pino';
import {
  TOPICS,
  type AUDIT_EVENT_TYPES,
  type AuditActor,
  type AuditAuthzDecisionV1,
  type AuditGuardrailHitV1,
  type AuditRateLimitV1,
  type AuditRequestV1,
  type Outbox,
  type OutboxEventInput,
} from '@fieldwise/events';

/** The CloudEvents `source` of every event the gateway writes. */
export const GATEWAY_EVENT_SOURCE = '/fieldwise/gateway';

/** Audit payloads by event type, as the gateway writes them. */
export interface GatewayAuditEvents {
  [AUDIT_EVENT_TYPES.request]: AuditRequestV1;
  [AUDIT_EVENT_TYPES.authzDecision]: AuditAuthzDecisionV1;
  [AUDIT_EVENT_TYPES.guardrailHit]: AuditGuardrailHitV1;
  [AUDIT_EVENT_TYPES.rateLimit]: AuditRateLimitV1;
}

/** One audit event type the gateway writes. */
export type GatewayAuditType = keyof GatewayAuditEvents;

/** Where the gateway's audit events go. */
export interface AuditSink {
  /**
   * Queues an audit event; it reaches the outbox within the sink's flush
   * interval (or at the end of the current event-loop turn), in one
   * transaction with the others queued meanwhile. Never throws: a rejected
   * event is logged (without payload).
   */
  record<T extends GatewayAuditType>(
    type: T,
    data: GatewayAuditEvents[T],
    meta: { traceparent?: string },
  ): void;
  /** Writes everything queued now (reads and shutdown call it first). */
  flush(): void;
  /**
   * Resolves once everything queued so far is committed. Waiting for it
   * moves the next commit to the end of this event-loop turn, so requests
   * answered together share one transaction. An event the outbox rejects
   * is logged (never retried) and does not hold the answer back.
   */
  whenDurable(): Promise<void>;
  /** The outbox behind the sink (the audit read API reads its file). */
  readonly outbox: Outbox;
}

/** Options of {@link OutboxAuditSink}. */
export interface OutboxAuditSinkOptions {
  readonly outbox: Outbox;
  readonly logger: Logger;
  /**
   * Longest an event waits in memory before its batch is committed. 0
   * commits at the end of the event-loop turn. A longer interval shares one
   * commit among more requests; a crash (not a graceful close, which
   * flushes) can lose at most this window.
   */
  readonly flushIntervalMs?: number;
  /** A batch this large is committed at once, whatever the interval. */
  readonly maxBatch?: number;
}

/**
 * An {@link AuditSink} that batches into the durable outbox: events queued
 * in the same event-loop turn share one SQLite transaction. The audit plugin
 * waits for {@link whenDurable} before a response leaves, so an answered
 * request is always on record, even if the process dies right after.
 */
export class OutboxAuditSink implements AuditSink {
  readonly outbox: Outbox;
  private readonly logger: Logger;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private queue: OutboxEventInput[] = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private immediate = false;

  constructor(options: OutboxAuditSinkOptions) {
    this.outbox = options.outbox;
    this.logger = options.logger;
    this.flushIntervalMs = options.flushIntervalMs ?? 0;
    this.maxBatch = options.maxBatch ?? 512;
  }

  record<T extends GatewayAuditType>(
    type: T,
    data: GatewayAuditEvents[T],
    meta: { traceparent?: string },
  ): void {
    const actor: AuditActor = data.actor;
    this.queue.push({
      topic: TOPICS.audit,
      key: `${actor.tenant}/${actor.userId}`,
      type,
      source: GATEWAY_EVENT_SOURCE,
      data,
      tenant: actor.tenant,
      principal: actor.userId,
      ...(meta.traceparent !== undefined
        ? { traceparent: meta.traceparent }
        : {}),
    });
    if (this.queue.length >= this.maxBatch) {
      this.flush();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.flushIntervalMs > 0) {
        this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
        // Shutdown flushes explicitly; a pending batch must not hold the process.
        this.timer.unref();
      } else {
        setImmediate(() => this.flush());
      }
    }
  }

  whenDurable(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (!this.immediate) {
        this.immediate = true;
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    this.scheduled = false;
    this.immediate = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const waiters = this.waiters;
    this.waiters = [];
    if (this.queue.length === 0) {
      for (const resolve of waiters) resolve();
      return;
    }
    const batch = this.queue;
    this.queue = [];
    this.writeBatch(batch);
    for (const resolve of waiters) resolve();
  }

  /** Never throws: one invalid event must not take the others down. */
  private writeBatch(batch: OutboxEventInput[]): void {
    try {
      this.outbox.appendMany(batch);
    } catch (_batchError) {
      // One invalid event must not take the others down with it.
      for (const input of batch) {
        try {
          this.outbox.append(input);
        } catch (error) {
          this.logger.error(
            {
              err: error instanceof Error ? { message: error.message } : {},
              type: input.type,
            },
            'audit event rejected by the outbox',
          );
        }
      }
    }
  }
}
