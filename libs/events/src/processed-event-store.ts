/**
 * Remembers which events a consumer group has handled, for deduplication of
 * at-least-once delivery. `markProcessed` is idempotent. A handler whose
 * effects live in the same database as the store can mark the event inside
 * its own transaction (see `EventContext.markProcessed`), which makes the
 * effect and the mark atomic; otherwise the consumer marks it right after
 * the handler returns, and a crash in between means one repeat delivery.
 */
export interface ProcessedEventStore {
  isProcessed(groupId: string, eventId: string): boolean;
  markProcessed(groupId: string, eventId: string): void;
  close(): void;
}
