import type { OutboxRecord } from './outbox.js';

/**
 * Publishes outbox rows to the broker. `publish` resolves only when the
 * broker acknowledged every record of the batch (for Kafka: all in-sync
 * replicas), and rejects otherwise; a rejected batch may have been partly
 * written, so consumers deduplicate by event id.
 */
export interface EventPublisher {
  publish(records: readonly OutboxRecord[]): Promise<void>;
  /** Releases connections; later `publish` calls reconnect. */
  close(): Promise<void>;
}
