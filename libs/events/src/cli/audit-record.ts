import { isAuditEventType } from '../audit-events.js';

/** Where an audit event was read from. */
export interface AuditOrigin {
  /** Outbox file path or Kafka topic. */
  readonly source: string;
  /** Outbox row id or `partition:offset`. */
  readonly position: string;
}

/** An audit event as read (the stored JSON, chain fields included) and where it came from. */
export interface AuditRecord {
  readonly event: Record<string, unknown>;
  readonly origin: AuditOrigin;
}

/** True for an object whose `type` is an audit event type; everything else (feedback…) is never output. */
export function isAuditRecordEvent(
  value: unknown,
): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === 'string' &&
    isAuditEventType((value as { type: string }).type)
  );
}
