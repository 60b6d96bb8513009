// Outbox → Kafka relay throughput against a plain kafkajs producer sending the
// same batches to the same broker in the same run. Starts its own broker
// (deploy/kafka/kafka.sh through the testing helper) unless KAFKA_BROKERS is
// set. Usage: npx tsx bench/outbox/index.ts [--events N] [--batch N]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import pino from 'pino';
import {
  AUDIT_EVENT_TYPES,
  KafkaEventPublisher,
  OutboxRelay,
  SqliteOutbox,
  type OutboxEventInput,
} from '../../libs/events/src/index.js';
import {
  startKafkaBroker,
  type KafkaBroker,
} from '../../libs/testing/src/kafka-broker.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '500' },
  },
});
const EVENTS = Number(values.events);
const BATCH = Number(values.batch);
const logger = pino({ level: 'silent' });
const run = randomUUID().slice(0, 8);

function inputs(topic: string, count: number): OutboxEventInput[] {
  return Array.from({ length: count }, (_, n) => {
    const userId = `u-seller-${String(n % 50).padStart(4, '0')}`;
    return {
      topic,
      key: userId,
      type: AUDIT_EVENT_TYPES.request,
      source: '/fieldwise/gateway',
      tenant: 'acme-main',
      principal: userId,
      data: {
        traceId: n.toString(16).padStart(32, '0'),
        actor: { userId, kind: 'user', roles: ['seller'], tenant: 'acme-main' },
        service: 'gateway',
        requestId: `req-${n}`,
        protocol: 'http',
        method: 'POST',
        route: '/v1/chat',
        status: 200,
        latencyMs: n % 700,
      },
    };
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    result.push(items.slice(i, i + size));
  return result;
}

/**
 * Baseline: what a service would do without an outbox. It builds the same
 * CloudEvents (envelope, id, time, JSON) and sends them batch by batch with
 * the same producer settings; no validation, chaining or local durability.
 */
async function plainProducer(
  kafka: Kafka,
  topic: string,
  count: number,
): Promise<number> {
  const batches = chunks(inputs(topic, count), BATCH);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const started = performance.now();
  for (const batch of batches) {
    const messages = batch.map((input) => ({
      key: input.key ?? null,
      value: JSON.stringify({
        specversion: '1.0',
        id: randomUUID(),
        source: input.source,
        type: input.type,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        tenant: input.tenant,
        principal: input.principal,
        data: input.data,
      }),
    }));
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic, messages }],
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return count / seconds;
}

/** Outbox: append in the same batches (durable commits) while the relay publishes. */
async function throughOutbox(
  brokers: string[],
  topic: string,
  count: number,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  const outbox = SqliteOutbox.open({ dataDir: dir, logger });
  const publisher = new KafkaEventPublisher({ brokers, logger });
  const relay = new OutboxRelay({
    outbox,
    publisher,
    logger,
    batchSize: BATCH,
  });
  const batches = chunks(inputs(topic, count), BATCH);
  relay.start();
  const started = performance.now();
  for (const batch of batches) {
    outbox.appendMany(batch);
    // Let the relay interleave, as appends from request handlers would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (relay.depth() > 0)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  await relay.stop({ flushTimeoutMs: 5000 });
  await publisher.close();
  outbox.close();
  rmSync(dir, { recursive: true, force: true });
  return count / seconds;
}

/** The relay alone: drain an outbox filled beforehand (append cost excluded). */
async function relayDrain(
  brokers: string[],
  topic: string,
  count: number,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbox-drain-'));
  const outbox = SqliteOutbox.open({ dataDir: dir, logger });
  for (const batch of chunks(inputs(topic, count), BATCH))
    outbox.appendMany(batch);
  const publisher = new KafkaEventPublisher({ brokers, logger });
  const relay = new OutboxRelay({
    outbox,
    publisher,
    logger,
    batchSize: BATCH,
  });
  const started = performance.now();
  relay.start();
  while (relay.depth() > 0)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  await relay.stop({ flushTimeoutMs: 5000 });
  await publisher.close();
  outbox.close();
  rmSync(dir, { recursive: true, force: true });
  return count / seconds;
}

async function main(): Promise<void> {
  let broker: KafkaBroker | undefined;
  let brokers: string[];
  if (process.env.KAFKA_BROKERS) {
    brokers = process.env.KAFKA_BROKERS.split(',');
    console.log(`broker: ${brokers.join(',')} (KAFKA_BROKERS)`);
  } else {
    broker = await startKafkaBroker();
    brokers = broker.brokers;
    console.log(
      `broker: started ${brokers[0]} in ${(broker.startupMs / 1000).toFixed(1)} s`,
    );
  }
  try {
    const kafka = new Kafka({
      clientId: 'bench-outbox',
      brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    const rounds = 3;
    const topic = (name: string): string => `bench.${run}.${name}`;
    const names = ['warm-plain', 'warm-outbox'];
    for (let round = 1; round <= rounds; round += 1) {
      names.push(`plain-${round}`, `outbox-${round}`, `drain-${round}`);
    }
    await admin.createTopics({
      topics: names.map((name) => ({ topic: topic(name), numPartitions: 1 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    console.log(
      `events: ${EVENTS} per run, batch: ${BATCH}, one partition, acks=all, idempotent, median of ${rounds} rounds (each round runs the three back to back, so load on a shared machine hits them alike)`,
    );
    // A full-size warm-up: the broker and the client JIT get faster over the first runs.
    await plainProducer(kafka, topic('warm-plain'), EVENTS);
    await throughOutbox(brokers, topic('warm-outbox'), EVENTS);
    const ratios: number[] = [];
    const relayRatios: number[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const p = await plainProducer(kafka, topic(`plain-${round}`), EVENTS);
      const o = await throughOutbox(brokers, topic(`outbox-${round}`), EVENTS);
      const d = await relayDrain(brokers, topic(`drain-${round}`), EVENTS);
      console.log(
        `round ${round}: plain kafkajs producer ${p.toFixed(0)} events/s; outbox → relay → kafka ${o.toFixed(0)} events/s end to end (SQLite synchronous=FULL), ratio ${(o / p).toFixed(2)}; relay draining a filled outbox ${d.toFixed(0)} events/s, ratio ${(d / p).toFixed(2)}`,
      );
      ratios.push(o / p);
      relayRatios.push(d / p);
    }
    const median = (values: number[]): number =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(
      `relay alone vs plain: ratio ${median(relayRatios).toFixed(2)}`,
    );
    console.log(
      `summary: outbox → relay → kafka vs plain kafkajs producer, ratio ${median(ratios).toFixed(2)} (median of ${rounds} rounds; target >= 0.5)`,
    );
  } finally {
    await broker?.dispose();
  }
}

await main();
