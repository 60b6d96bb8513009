import { FieldwiseError, GrpcStatus } from '@fieldwise/errors';
import {
  Partitioners,
  type Consumer,
  type EachMessagePayload,
  type IHeaders,
  type Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import type { CloudEvent } from './cloud-event.js';
import type { PayloadSchemas } from './event-registry.js';
import { kafkaClientFor, type KafkaConnection } from './kafka-client.js';
import { parseEvent } from './parse-event.js';
import type { ProcessedEventStore } from './processed-event-store.js';
import { deadLetterTopic as defaultDeadLetterTopic } from './topics.js';

/** Where a delivered event came from, and a way to mark it handled. */
export interface EventContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Marks the event processed now. Call it inside the handler's own
   * transaction when the dedupe store shares the handler's database, so the
   * effect and the mark commit together. Idempotent.
   */
  markProcessed(): void;
}

/** Handles one event. Throw a permanent error to dead-letter it; anything else is retried. */
export type EventHandler = (
  event: CloudEvent,
  context: EventContext,
) => Promise<void> | void;

/** Why a message went to the dead-letter topic (header `fieldwise-dlq-reason`). */
export type DeadLetterReason =
  'unparseable' | 'schema-invalid' | 'permanent-error';

/** Options for {@link createEventConsumer}. */
export type EventConsumerOptions = KafkaConnection & {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handle: EventHandler;
  readonly dedupe: ProcessedEventStore;
  readonly logger: Logger;
  /** Dead-letter topic for a source topic, or one fixed name. Default `<topic>.dlq`. */
  readonly deadLetterTopic?: string | ((topic: string) => string);
  /** Payload schemas by type; defaults to `EVENT_PAYLOAD_SCHEMAS`. */
  readonly schemas?: PayloadSchemas;
  /** Start from the earliest offset when the group has none. Default true. */
  readonly fromBeginning?: boolean;
  /**
   * Whether a handler error is permanent (dead-letter) rather than transient
   * (retry). Default: a `FieldwiseError` whose status says retrying cannot
   * help (invalid argument, failed precondition, not found, already exists,
   * permission denied, out of range, unimplemented).
   */
  readonly isPermanentError?: (error: unknown) => boolean;
  /** kafkajs client id when `brokers` is given. */
  readonly clientId?: string;
};

/** Counters since start. */
export interface EventConsumerStats {
  readonly handled: number;
  readonly duplicates: number;
  readonly deadLettered: number;
}

/** A running consumer; see {@link createEventConsumer}. */
export interface EventConsumer {
  /** Connects, subscribes and starts consuming; resolves once running. */
  start(): Promise<void>;
  /** Stops consuming after the message in hand and disconnects. */
  stop(): Promise<void>;
  stats(): EventConsumerStats;
}

const PERMANENT_STATUSES = new Set<number>([
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.FAILED_PRECONDITION,
  GrpcStatus.NOT_FOUND,
  GrpcStatus.ALREADY_EXISTS,
  GrpcStatus.PERMISSION_DENIED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNIMPLEMENTED,
]);

/** The default permanent-error test of {@link createEventConsumer}. */
export function isPermanentEventError(error: unknown): boolean {
  return (
    error instanceof FieldwiseError && PERMANENT_STATUSES.has(error.status)
  );
}

/**
 * A Kafka consumer for Fieldwise events with the delivery rules every
 * consumer needs: each message is parsed and validated (envelope and payload
 * schema), skipped if its event id was already processed by this group,
 * handed to `handle`, then marked processed. Unparseable or schema-invalid
 * messages and permanent handler errors go to the dead-letter topic with the
 * reason and source position in headers; transient handler errors are
 * rethrown so kafkajs retries the message. Offsets are committed only after
 * a message was handled or dead-lettered.
 */
export function createEventConsumer(
  options: EventConsumerOptions,
): EventConsumer {
  const logger = options.logger.child({ consumerGroup: options.groupId });
  const kafka = kafkaClientFor(
    options,
    options.clientId ?? `fieldwise-${options.groupId}`,
    logger,
  );
  const dlqFor =
    typeof options.deadLetterTopic === 'string'
      ? () => options.deadLetterTopic as string
      : (options.deadLetterTopic ?? defaultDeadLetterTopic);
  const isPermanent = options.isPermanentError ?? isPermanentEventError;
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  const counters = { handled: 0, duplicates: 0, deadLettered: 0 };

  async function deadLetter(
    payload: EachMessagePayload,
    reason: DeadLetterReason,
    error: unknown,
  ): Promise<void> {
    const { topic, partition, message } = payload;
    const target = dlqFor(topic);
    const detail = error instanceof Error ? error.message : String(error);
    await (producer as Producer).send({
      topic: target,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'fieldwise-dlq-reason': reason,
            'fieldwise-dlq-error': detail.slice(0, 1000),
            'fieldwise-dlq-source-topic': topic,
            'fieldwise-dlq-source-partition': String(partition),
            'fieldwise-dlq-source-offset': message.offset,
            'fieldwise-dlq-group': options.groupId,
          },
        },
      ],
    });
    counters.deadLettered += 1;
    logger.warn(
      {
        topic,
        partition,
        offset: message.offset,
        reason,
        deadLetterTopic: target,
      },
      'event dead-lettered',
    );
  }

  async function onMessage(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    let raw: unknown;
    try {
      raw = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch (error) {
      await deadLetter(payload, 'unparseable', error);
      return;
    }
    let event: CloudEvent;
    try {
      event = parseEvent(
        raw,
        options.schemas ? { schemas: options.schemas } : {},
      );
    } catch (error) {
      await deadLetter(payload, 'schema-invalid', error);
      return;
    }
    if (options.dedupe.isProcessed(options.groupId, event.id)) {
      counters.duplicates += 1;
      return;
    }
    const context: EventContext = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers: stringHeaders(message.headers),
      markProcessed: () =>
        options.dedupe.markProcessed(options.groupId, event.id),
    };
    try {
      await options.handle(event, context);
    } catch (error) {
      if (!isPermanent(error)) {
        logger.warn(
          {
            err: error,
            topic,
            partition,
            offset: message.offset,
            eventId: event.id,
          },
          'event handler failed; the event will be retried',
        );
        throw error;
      }
      await deadLetter(payload, 'permanent-error', error);
    }
    options.dedupe.markProcessed(options.groupId, event.id);
    counters.handled += 1;
  }

  return {
    async start() {
      if (consumer !== undefined) return;
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      consumer = kafka.consumer({ groupId: options.groupId });
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({
        topics: [...options.topics],
        fromBeginning: options.fromBeginning ?? true,
      });
      await consumer.run({ autoCommit: true, eachMessage: onMessage });
    },
    async stop() {
      const running = consumer;
      const dlqProducer = producer;
      consumer = undefined;
      producer = undefined;
      await running?.disconnect();
      await dlqProducer?.disconnect();
    },
    stats: () => ({ ...counters }),
  };
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}
