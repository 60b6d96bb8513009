import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkaLogCreator } from './kafka-logger.js';

/** How a Kafka-backed component gets its client: an existing one or brokers. */
export type KafkaConnection =
  | { readonly kafka: Kafka; readonly brokers?: undefined }
  | { readonly brokers: readonly string[]; readonly kafka?: undefined };

/**
 * Returns the given kafkajs client, or creates one for `brokers` that logs
 * through `logger`. Connection failures surface fast (3 s connect timeout)
 * because the outbox, not kafkajs, is what retries until the broker is back.
 */
export function kafkaClientFor(
  connection: KafkaConnection,
  clientId: string,
  logger: Logger,
): Kafka {
  if (connection.kafka !== undefined) return connection.kafka;
  return new Kafka({
    clientId,
    brokers: [...connection.brokers],
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    logLevel: logLevel.INFO,
    logCreator: kafkaLogCreator(logger.child({ component: 'kafkajs' })),
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}
