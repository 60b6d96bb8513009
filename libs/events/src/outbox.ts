import type { CloudEvent } from './cloud-event.js';

/** What a producer hands the outbox: the event's facts plus where it goes. */
export interface OutboxEventInput<Data = unknown> {
  /** Kafka topic, e.g. `TOPICS.audit`. */
  readonly topic: string;
  /** Kafka message key (audit: the principal; feedback: the conversation). */
  readonly key?: string | null;
  /** Versioned event type, e.g. `AUDIT_EVENT_TYPES.request`. */
  readonly type: string;
  /** URI-reference of the producer, e.g. `/fieldwise/gateway`. */
  readonly source: string;
  /** The payload; validated against the schema registered for `type`. */
  readonly data: Data;
  /** Event id; a random UUID when omitted. Must be unique in the outbox. */
  readonly id?: string;
  readonly subject?: string;
  /** Occurrence time; the outbox clock when omitted. */
  readonly time?: Date;
  readonly tenant?: string;
  readonly principal?: string;
  /** W3C traceparent of the operation that produced the event. */
  readonly traceparent?: string;
  /** Extra Kafka headers (string values). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One outbox row. `value` is the CloudEvent JSON exactly as it is published. */
export interface OutboxRecord {
  /** Row id: the outbox order, increasing with every append. */
  readonly id: number;
  readonly eventId: string;
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Epoch milliseconds of the append. */
  readonly createdAt: number;
  /** Epoch milliseconds of the broker's acknowledgement; null while pending. */
  readonly sentAt: number | null;
  /** Publish attempts so far (successful or not). */
  readonly attempts: number;
  readonly lastError: string | null;
}

/** The result of an append: the stored row and the event as stored. */
export interface AppendedEvent {
  readonly record: OutboxRecord;
  readonly event: CloudEvent;
}

/**
 * A durable, ordered store of events waiting to be published. Appends are
 * durable when they return; audit events get their hash-chain attributes on
 * append, from a per-outbox producer id and a persisted sequence. A relay
 * reads `pending` rows in order and marks them sent only after the broker
 * acknowledged them. One relay per outbox.
 */
export interface Outbox {
  /** Stable id of this outbox as an audit-chain producer (persisted). */
  readonly producerId: string;
  /** Validates, chains (audit types) and stores one event. Throws `ValidationError`. */
  append(input: OutboxEventInput): AppendedEvent;
  /** Appends several events atomically, in order. */
  appendMany(inputs: readonly OutboxEventInput[]): AppendedEvent[];
  /** Up to `limit` unsent rows, oldest first. */
  pending(limit: number): OutboxRecord[];
  /** Marks rows acknowledged by the broker. */
  markSent(ids: readonly number[], sentAt?: number): void;
  /** Records a failed publish attempt; rows stay pending. */
  markFailed(ids: readonly number[], error: string): void;
  /** Number of unsent rows. */
  depth(): number;
  /** `createdAt` of the oldest unsent row, or null when none is pending. */
  oldestPendingAt(): number | null;
  /** Calls `listener` (asynchronously) after appends; returns an unsubscribe. */
  onAppend(listener: () => void): () => void;
  /** Releases the outbox (and its database, if it opened it). */
  close(): void;
}
