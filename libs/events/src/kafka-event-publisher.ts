import {
  CompressionTypes,
  Partitioners,
  type Kafka,
  type Producer,
  type TopicMessages,
} from 'kafkajs';
import type { Logger } from 'pino';
import type { EventPublisher } from './event-publisher.js';
import { kafkaClientFor, type KafkaConnection } from './kafka-client.js';
import type { OutboxRecord } from './outbox.js';

/** Options for {@link KafkaEventPublisher}. */
export type KafkaEventPublisherOptions = KafkaConnection & {
  readonly logger: Logger;
  /** kafkajs client id when `brokers` is given. Default `fieldwise-outbox`. */
  readonly clientId?: string;
  /** Compression of produced batches. Default none. */
  readonly compression?: CompressionTypes;
};

/** Structured-mode CloudEvents over Kafka: the value is the whole event. */
const CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * Publishes outbox rows to Kafka with an idempotent producer (`acks=all`,
 * one request in flight so a producer's events keep their order per
 * partition), one `sendBatch` per call. After a failed batch the producer is
 * dropped and a fresh one is made for the next call, so a producer left in
 * an unknown sequence state after an outage never wedges the relay.
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly compression: CompressionTypes;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(options: KafkaEventPublisherOptions) {
    this.logger = options.logger;
    this.compression = options.compression ?? CompressionTypes.None;
    this.kafka = kafkaClientFor(
      options,
      options.clientId ?? 'fieldwise-outbox',
      options.logger,
    );
  }

  async publish(records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.connect();
    try {
      await producer.sendBatch({
        acks: -1,
        compression: this.compression,
        topicMessages: toTopicMessages(records),
      });
    } catch (error) {
      await this.reset();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private connect(): Promise<Producer> {
    if (this.producer !== undefined) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
        // Bounded: the relay retries from the outbox with its own backoff.
        retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
      });
      try {
        await producer.connect();
      } catch (error) {
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      this.producer = producer;
      return producer;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer === undefined) return;
    try {
      await producer.disconnect();
    } catch (error) {
      this.logger.debug({ err: error }, 'kafka producer disconnect failed');
    }
  }
}

function toTopicMessages(records: readonly OutboxRecord[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const record of records) {
    let entry = byTopic.get(record.topic);
    if (entry === undefined) {
      entry = { topic: record.topic, messages: [] };
      byTopic.set(record.topic, entry);
    }
    entry.messages.push({
      key: record.key,
      value: record.value,
      headers: {
        ...record.headers,
        'content-type': CONTENT_TYPE,
        'ce-id': record.eventId,
      },
    });
  }
  return [...byTopic.values()];
}
