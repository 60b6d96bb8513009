import { DependencyUnavailableError, ValidationError } from '@fieldwise/errors';
import { describeWithKafka, waitFor } from '@fieldwise/testing';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  KafkaEventPublisher,
  OutboxRelay,
  SqliteOutbox,
  SqliteProcessedEventStore,
  computeEventHash,
  createEventConsumer,
  deadLetterTopic,
  readOutbox,
  verifyAuditChain,
  type ChainedCloudEvent,
  type CloudEvent,
  type EventHandler,
} from '../src/index.js';
import { auditRequestInput, silentLogger, tempDir } from './helpers.js';

const run = randomUUID().slice(0, 8);
const topicName = (name: string): string => `test.${run}.${name}`;

describeWithKafka('outbox → relay → real Kafka → consumer', ({ broker }) => {
  const dir = tempDir('fieldwise-events-int-');
  let kafka: Kafka;

  beforeAll(() => {
    kafka = new Kafka({
      clientId: 'events-int-test',
      brokers: broker().brokers,
      logLevel: logLevel.NOTHING,
    });
  });
  afterAll(() => dir.remove());

  async function createTopics(...topics: string[]): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
  }

  /** Consumes `topic` from the beginning with a fresh group and dedupe store. */
  async function collect(
    topic: string,
    handle: EventHandler = () => undefined,
  ): Promise<{
    events: CloudEvent[];
    stats: () => { handled: number; duplicates: number; deadLettered: number };
    stop: () => Promise<void>;
  }> {
    const groupId = `group-${randomUUID()}`;
    const dedupe = SqliteProcessedEventStore.open({
      dataDir: join(dir.path, groupId),
    });
    const events: CloudEvent[] = [];
    const consumer = createEventConsumer({
      brokers: broker().brokers,
      groupId,
      topics: [topic],
      dedupe,
      logger: silentLogger,
      handle: async (event, context) => {
        await handle(event, context);
        events.push(event);
      },
    });
    await consumer.start();
    return {
      events,
      stats: () => consumer.stats(),
      stop: async () => {
        await consumer.stop();
        dedupe.close();
      },
    };
  }

  it('delivers 1,000 outbox events once each after dedupe, with an intact chain', async () => {
    const topic = topicName('audit-1000');
    await createTopics(topic);
    const outbox = SqliteOutbox.open({
      dataDir: join(dir.path, 'p1'),
      logger: silentLogger,
    });
    const publisher = new KafkaEventPublisher({
      brokers: broker().brokers,
      logger: silentLogger,
    });
    const relay = new OutboxRelay({
      outbox,
      publisher,
      logger: silentLogger,
      batchSize: 200,
    });
    relay.start();
    const appended: ChainedCloudEvent[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      const inputs = Array.from({ length: 100 }, (_, i) =>
        auditRequestInput(topic, batch * 100 + i),
      );
      appended.push(
        ...outbox.appendMany(inputs).map((a) => a.event as ChainedCloudEvent),
      );
    }
    await waitFor(() => relay.depth() === 0, {
      description: 'the relay to drain',
    });
    expect(await relay.stop({ flushTimeoutMs: 5000 })).toEqual({
      flushed: true,
      pending: 0,
    });

    // An in-doubt batch re-sent (as after a lost acknowledgement) must not be handled twice.
    const resent = [...readOutbox(outbox.path)]
      .slice(0, 50)
      .map((s) => s.record);
    await publisher.publish(resent);

    const consumer = await collect(topic);
    await waitFor(
      () => consumer.stats().handled + consumer.stats().duplicates >= 1050,
      {
        description: '1,050 messages',
        timeoutMs: 60_000,
      },
    );
    await consumer.stop();
    expect(consumer.stats()).toEqual({
      handled: 1000,
      duplicates: 50,
      deadLettered: 0,
    });
    expect(consumer.events.map((e) => e.id)).toEqual(appended.map((e) => e.id));
    const report = verifyAuditChain(consumer.events);
    expect(report.ok).toBe(true);
    expect(report.producers).toEqual([
      expect.objectContaining({
        producerId: outbox.producerId,
        events: 1000,
        lastSeq: 1000,
      }),
    ]);
    await publisher.close();
    outbox.close();
  }, 240_000);

  it('keeps accepting writes while the broker is down and delivers all of them after it returns', async () => {
    const topic = topicName('audit-outage');
    await createTopics(topic);
    const outbox = SqliteOutbox.open({
      dataDir: join(dir.path, 'p2'),
      logger: silentLogger,
    });
    const publisher = new KafkaEventPublisher({
      brokers: broker().brokers,
      logger: silentLogger,
    });
    const relay = new OutboxRelay({
      outbox,
      publisher,
      logger: silentLogger,
      batchSize: 100,
      backoff: { initialMs: 100, maxMs: 1000 },
    });
    relay.start();
    const ids: string[] = [];
    const append = (from: number, count: number): void => {
      const inputs = Array.from({ length: count }, (_, i) =>
        auditRequestInput(topic, from + i),
      );
      ids.push(...outbox.appendMany(inputs).map((a) => a.event.id));
    };
    append(0, 100);
    await waitFor(() => relay.depth() === 0, {
      description: 'the first 100 events',
    });

    // 1. The broker goes away; writes keep succeeding and pile up.
    await broker().stop();
    append(100, 100);
    await waitFor(() => relay.consecutiveFailures() >= 2, {
      description: 'the relay to notice the outage',
      timeoutMs: 60_000,
    });
    append(200, 100);
    expect(relay.depth()).toBe(200);
    expect(outbox.pending(1)[0]?.lastError).toBeTruthy();

    // 2. The broker returns with its data; the relay drains by itself.
    await broker().start();
    await waitFor(() => relay.depth() === 0, {
      description: 'the relay to drain after the outage',
      timeoutMs: 90_000,
    });
    await relay.stop({ flushTimeoutMs: 5000 });
    await publisher.close();

    // 3. Nothing was lost, nothing handled twice, and the chain verifies.
    const consumer = await collect(topic);
    await waitFor(() => consumer.stats().handled >= 300, {
      description: '300 distinct events',
      timeoutMs: 60_000,
    });
    await consumer.stop();
    expect(consumer.events.map((e) => e.id)).toEqual(ids);
    expect(verifyAuditChain(consumer.events).ok).toBe(true);
    const stored = [...readOutbox(outbox.path)];
    expect(stored.every((s) => s.record.sentAt !== null)).toBe(true);
    outbox.close();

    // 4. Tampering with the delivered stream is detected and named.
    const delivered = consumer.events as ChainedCloudEvent[];
    const edited = delivered.map((e, i) =>
      i === 150 ? { ...e, principal: 'u-admin-0001' } : e,
    );
    expect(verifyAuditChain(edited).producers[0]?.edits).toEqual([
      { eventId: delivered[150]!.id, seq: 151, reason: 'hash-mismatch' },
    ]);
    const rehashed = { ...delivered[150]!, subject: 'forged' };
    const forged = delivered.map((e, i) =>
      i === 150 ? { ...rehashed, hash: computeEventHash(rehashed) } : e,
    );
    expect(verifyAuditChain(forged).producers[0]?.edits).toEqual([
      expect.objectContaining({
        eventId: delivered[151]!.id,
        seq: 152,
        reason: 'prevhash-mismatch',
      }),
    ]);
    const deleted = delivered.filter((_, i) => i !== 42);
    expect(verifyAuditChain(deleted).producers[0]?.gaps).toEqual([
      { fromSeq: 43, toSeq: 43, nextEventId: delivered[43]!.id, nextSeq: 44 },
    ]);
    const reordered = [...delivered];
    [reordered[10], reordered[11]] = [reordered[11]!, reordered[10]!];
    expect(verifyAuditChain(reordered).producers[0]?.reorderings).toEqual([
      {
        eventId: delivered[10]!.id,
        seq: 11,
        afterEventId: delivered[11]!.id,
        afterSeq: 12,
      },
    ]);
  }, 240_000);

  it('dead-letters poison messages with the reason and retries transient failures', async () => {
    const topic = topicName('poison');
    const dlq = deadLetterTopic(topic);
    await createTopics(topic, dlq);
    const outbox = SqliteOutbox.open({
      dataDir: join(dir.path, 'p3'),
      logger: silentLogger,
    });
    const [good, rejected, flaky] = outbox.appendMany([
      auditRequestInput(topic, 1),
      auditRequestInput(topic, 2),
      auditRequestInput(topic, 3),
    ]);
    const publisher = new KafkaEventPublisher({
      brokers: broker().brokers,
      logger: silentLogger,
    });
    await publisher.publish(outbox.pending(10));
    outbox.close();
    const producer = kafka.producer();
    await producer.connect();
    const invalid = { ...good!.event, id: 'no-data', data: { traceId: 'zz' } };
    await producer.send({
      topic,
      messages: [{ value: '{not json' }, { value: JSON.stringify(invalid) }],
    });
    await producer.disconnect();

    let flakyFailures = 0;
    const consumer = await collect(topic, (event) => {
      if (event.id === rejected!.event.id) {
        throw new ValidationError([
          { field: 'data.route', message: 'unknown route' },
        ]);
      }
      if (event.id === flaky!.event.id && flakyFailures < 2) {
        flakyFailures += 1;
        throw new DependencyUnavailableError('crm-database');
      }
    });
    await waitFor(
      () => consumer.stats().handled + consumer.stats().deadLettered >= 5,
      {
        description: 'five messages to be settled',
        timeoutMs: 60_000,
      },
    );
    await consumer.stop();
    expect(flakyFailures).toBe(2);
    expect(consumer.events.map((e) => e.id)).toEqual([
      good!.event.id,
      flaky!.event.id,
    ]);
    expect(consumer.stats()).toMatchObject({ deadLettered: 3 });

    const dead: IHeaders[] = [];
    const reader = kafka.consumer({ groupId: `dlq-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic: dlq, fromBeginning: true });
    await reader.run({
      eachMessage: ({ message }) => {
        dead.push(message.headers ?? {});
        return Promise.resolve();
      },
    });
    await waitFor(() => dead.length >= 3, {
      description: 'three dead letters',
    });
    await reader.disconnect();
    expect(dead.map((h) => String(h['fieldwise-dlq-reason']))).toEqual([
      'permanent-error',
      'unparseable',
      'schema-invalid',
    ]);
    expect(dead.map((h) => String(h['fieldwise-dlq-source-topic']))).toEqual([
      topic,
      topic,
      topic,
    ]);
    expect(String(dead[0]?.['fieldwise-dlq-error'])).toMatch(/unknown route/);
    expect(String(dead[0]?.['ce-id'])).toBe(rejected!.event.id);
    await publisher.close();
  }, 240_000);
});
