import { randomUUID } from 'node:crypto';
import { describeWithKafka, waitFor } from '@fieldwise/testing';
import { Kafka, logLevel } from 'kafkajs';
import { expect, it } from 'vitest';
import { createConsumerLagReader } from '../src/index.js';
import { silentLogger } from './helpers.js';

describeWithKafka('consumer lag', ({ broker }) => {
  it('is the log end minus the committed offset, per partition', async () => {
    const topic = `test.lag.${randomUUID().slice(0, 8)}`;
    const groupId = `group-${randomUUID()}`;
    const kafka = new Kafka({
      clientId: 'lag-test',
      brokers: broker().brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 2 }],
      waitForLeaders: true,
    });
    // Idempotent: a retried send right after topic creation must not duplicate.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { partition: 0, value: 'a' },
        { partition: 0, value: 'b' },
        { partition: 0, value: 'c' },
        { partition: 1, value: 'd' },
      ],
    });
    await producer.disconnect();
    const reader = createConsumerLagReader({
      brokers: broker().brokers,
      groupId,
      topics: [topic],
      logger: silentLogger,
    });
    try {
      // 1. Nothing committed: the whole log is lag.
      const byPartition = async () =>
        Object.fromEntries(
          (await reader.read()).map((entry) => [entry.partition, entry.lag]),
        );
      // A fresh broker's group coordinator may still be loading.
      let first: Record<string, number> = {};
      await waitFor(
        async () => {
          try {
            first = await byPartition();
            return true;
          } catch {
            return false;
          }
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(first).toEqual({ 0: 3, 1: 1 });
      // 2. The group committed past two messages of partition 0.
      await admin.setOffsets({
        groupId,
        topic,
        partitions: [{ partition: 0, offset: '2' }],
      });
      expect(await byPartition()).toEqual({ 0: 1, 1: 1 });
      expect((await reader.read())[0]).toMatchObject({ group: groupId, topic });
    } finally {
      await reader.close();
      await admin.disconnect();
    }
  }, 60_000);
});
