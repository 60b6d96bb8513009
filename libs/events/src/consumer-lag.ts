import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkaClientFor, type KafkaConnection } from './kafka-client.js';

/** Lag of one partition: messages in the log the group has not committed past. */
export interface PartitionLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** Reads a consumer group's lag through the Kafka admin API. */
export interface ConsumerLagReader {
  /** One entry per partition of each topic; rejects when the broker cannot be asked. */
  read(): Promise<PartitionLag[]>;
  close(): Promise<void>;
}

/** Settings of {@link createConsumerLagReader}. */
export type ConsumerLagReaderOptions = KafkaConnection & {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly logger: Logger;
};

/**
 * Lag = the partition's high watermark minus the group's committed offset
 * (from the low watermark when the group committed nothing yet), never
 * below 0. The admin client connects on the first read and stays connected.
 */
export function createConsumerLagReader(
  options: ConsumerLagReaderOptions,
): ConsumerLagReader {
  const kafka = kafkaClientFor(options, 'fieldwise-lag-reader', options.logger);
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;
  const connected = (): Promise<Admin> => {
    connecting ??= (async () => {
      const client = kafka.admin();
      try {
        await client.connect();
      } catch (error) {
        connecting = undefined;
        throw error;
      }
      admin = client;
      return client;
    })();
    return connecting;
  };
  return {
    async read() {
      const client = await connected();
      const lags: PartitionLag[] = [];
      const committed = await client.fetchOffsets({
        groupId: options.groupId,
        topics: [...options.topics],
      });
      for (const topic of options.topics) {
        const ends = await client.fetchTopicOffsets(topic);
        const group = committed.find((entry) => entry.topic === topic);
        for (const end of ends) {
          const at = group?.partitions.find(
            (p) => p.partition === end.partition,
          )?.offset;
          const from =
            at === undefined || Number(at) < 0 ? Number(end.low) : Number(at);
          lags.push({
            group: options.groupId,
            topic,
            partition: end.partition,
            lag: Math.max(0, Number(end.high) - from),
          });
        }
      }
      return lags;
    },
    async close() {
      connecting = undefined;
      await admin?.disconnect();
      admin = undefined;
    },
  };
}
