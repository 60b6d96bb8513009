import { readOutbox } from '@fieldwise/events';
import type { TestGateway } from './gateway.js';

/** An audit event as stored in the gateway's outbox. */
export interface StoredAuditEvent {
  type: string;
  tenant?: string;
  principal?: string;
  data: Record<string, unknown>;
}

/** Every audit event the gateway wrote so far (queued ones flushed first). */
export function auditEvents(gateway: TestGateway): StoredAuditEvent[] {
  const { sink, outboxPath } = gateway.governance.governance.audit;
  sink.flush();
  const events: StoredAuditEvent[] = [];
  for (const stored of readOutbox(outboxPath)) {
    events.push(stored.event as StoredAuditEvent);
  }
  return events;
}

/** The audit events of one request, by the trace id its response carried. */
export function auditEventsOfTrace(
  gateway: TestGateway,
  traceId: string,
): StoredAuditEvent[] {
  return auditEvents(gateway).filter((e) => e.data.traceId === traceId);
}
