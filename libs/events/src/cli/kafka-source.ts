import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { DependencyUnavailableError } from '@fieldwise/errors';
import { kafkaLogCreator } from '../kafka-logger.js';
import type { RawStoredEvent } from './outbox-source.js';

/** Where the audit topic lives. */
export interface KafkaAuditSource {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly logger: Logger;
}

function clientFor(source: KafkaAuditSource): Kafka {
  return new Kafka({
    clientId: 'fieldwise-audit-cli',
    brokers: [...source.brokers],
    connectionTimeout: 3000,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(source.logger.child({ component: 'kafkajs' })),
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
  });
}

function parse(value: Buffer | null): unknown {
  try {
    return JSON.parse(value?.toString('utf8') ?? '') as unknown;
  } catch {
    return null;
  }
}

/**
 * Reads a topic from the beginning with a throwaway consumer group (deleted
 * afterwards, so the audit reader leaves no trace in the offsets of real
 * consumers). Without `onEvent`/`signal` it stops at the end offsets the
 * topic had when it started and returns the events, partition by partition
 * in offset order; with them it follows until `signal` aborts. The number
 * of partitions is returned: several partitions mean no global order.
 */
export async function readKafkaTopic(
  source: KafkaAuditSource,
  follow?: { onEvent: (event: RawStoredEvent) => void; signal: AbortSignal },
): Promise<{ events: RawStoredEvent[]; partitions: number }> {
  const kafka = clientFor(source);
  const admin = kafka.admin();
  const groupId = `fieldwise-audit-cli-${randomUUID()}`;
  let consumer: Consumer | undefined;
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(source.topic);
    const remaining = new Map<number, bigint>();
    for (const o of offsets) {
      if (BigInt(o.high) > BigInt(o.low))
        remaining.set(o.partition, BigInt(o.high) - 1n);
    }
    const byPartition = new Map<number, RawStoredEvent[]>();
    if (remaining.size === 0 && !follow)
      return { events: [], partitions: offsets.length };
    consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic: source.topic, fromBeginning: true });
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ partition, message }) => {
        const event: RawStoredEvent = {
          value: parse(message.value),
          origin: {
            source: source.topic,
            position: `${partition}:${message.offset}`,
          },
        };
        if (follow) {
          follow.onEvent(event);
        } else {
          const list = byPartition.get(partition) ?? [];
          list.push(event);
          byPartition.set(partition, list);
          const last = remaining.get(partition);
          if (last !== undefined && BigInt(message.offset) >= last)
            remaining.delete(partition);
          if (remaining.size === 0) finish();
        }
        return Promise.resolve();
      },
    });
    if (follow) {
      await new Promise<void>((resolve) => {
        if (follow.signal.aborted) resolve();
        follow.signal.addEventListener('abort', () => resolve(), {
          once: true,
        });
      });
    } else {
      await done;
    }
    const events = [...byPartition.keys()]
      .sort((a, b) => a - b)
      .flatMap((p) => byPartition.get(p) ?? []);
    return { events, partitions: offsets.length };
  } catch (error) {
    throw new DependencyUnavailableError(`kafka topic ${source.topic}`, error);
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
