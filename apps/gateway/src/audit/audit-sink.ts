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
   * Queues an audit event; it reaches the outbox at the end of the current
   * turn of the event loop, in one transaction with the others queued
   * meanwhile. Never throws: a rejected event is logged (without payload).
   */
  record<T extends GatewayAuditType>(
    type: T,
    data: GatewayAuditEvents[T],
    meta: { traceparent?: string },
  ): void;
  /** Writes everything queued now. */
  flush(): void;
  /** The outbox behind the sink (the audit read API reads its file). */
  readonly outbox: Outbox;
}

/** Options of {@link OutboxAuditSink}. */
export interface OutboxAuditSinkOptions {
  readonly outbox: Outbox;
  readonly logger: Logger;
}

/**
 * An {@link AuditSink} that batches into the durable outbox: one SQLite
 * transaction per event-loop turn instead of one per event keeps the request
 * path cheap while each event is durable before the relay can see it.
 */
export class OutboxAuditSink implements AuditSink {
  readonly outbox: Outbox;
  private readonly logger: Logger;
  private queue: OutboxEventInput[] = [];
  private scheduled = false;

  constructor(options: OutboxAuditSinkOptions) {
    this.outbox = options.outbox;
    this.logger = options.logger;
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
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
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
