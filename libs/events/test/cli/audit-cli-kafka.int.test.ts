import { randomUUID } from 'node:crypto';
import { describeWithKafka } from '@fieldwise/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAuditCli } from '../../src/cli/run-audit-cli.js';
import {
  KafkaEventPublisher,
  readOutbox,
  type OutboxRecord,
} from '../../src/index.js';
import { silentLogger, tempDir } from '../helpers.js';
import { writeAuditOutbox } from './audit-fixtures.js';

const run = randomUUID().slice(0, 8);

async function cli(
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAuditCli(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    logger: silentLogger,
  });
  return { code, out, err };
}

describeWithKafka('audit CLI over a real Kafka topic', ({ broker }) => {
  const dir = tempDir('fieldwise-audit-kafka-');
  let records: OutboxRecord[];
  let publisher: KafkaEventPublisher;
  let kafka: Kafka;

  beforeAll(() => {
    const { path } = writeAuditOutbox(dir.path);
    records = [...readOutbox(path, { topic: 'fieldwise.audit.v1' })].map(
      (e) => e.record,
    );
    publisher = new KafkaEventPublisher({
      brokers: broker().brokers,
      logger: silentLogger,
    });
    kafka = new Kafka({
      clientId: 'audit-cli-test',
      brokers: broker().brokers,
      logLevel: logLevel.NOTHING,
    });
  });
  afterAll(async () => {
    await publisher?.close();
    dir.remove();
  });

  async function publishTo(topic: string, rows: OutboxRecord[]): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    await publisher.publish(rows.map((r) => ({ ...r, topic })));
  }

  it('verify passes on the untouched topic, exports it, and leaves no consumer group behind', async () => {
    const topic = `test.${run}.audit-untouched`;
    await publishTo(topic, records);
    const result = await cli(
      'verify',
      '--brokers',
      broker().brokers.join(','),
      '--topic',
      topic,
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^OK: 6 audit events from 1 producer/);
    const exported = await cli(
      'export',
      '--brokers',
      broker().brokers.join(','),
      '--topic',
      topic,
    );
    expect(exported.out.trim().split('\n')).toHaveLength(6);
    const admin = kafka.admin();
    await admin.connect();
    const { groups } = await admin.listGroups();
    await admin.disconnect();
    expect(
      groups.filter((g) => g.groupId.startsWith('fieldwise-audit-cli-')),
    ).toEqual([]);
  });

  it('verify fails naming the event when one event on the topic was edited', async () => {
    const topic = `test.${run}.audit-edited`;
    const target = records[3] as OutboxRecord;
    const edited = records.map((r) =>
      r === target
        ? { ...r, value: r.value.replace('"status":200', '"status":500') }
        : r,
    );
    await publishTo(topic, edited);
    const result = await cli(
      'verify',
      '--brokers',
      broker().brokers.join(','),
      '--topic',
      topic,
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `edit: event ${target.eventId} (seq 4): hash-mismatch`,
    );
  });
});
