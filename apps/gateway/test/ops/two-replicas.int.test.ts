import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterAll, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, TOPICS } from '@fieldwise/events';
import { describeWithKafka, freePort, waitFor } from '@fieldwise/testing';
import {
  spawnService,
  waitReady,
  type ServiceProcess,
} from './service-process.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const LIMIT = 25;
const REQUESTS = 40;

interface Replica {
  readonly port: number;
  readonly dataDir: string;
  process: ServiceProcess;
}

interface Outcome {
  readonly status: number;
  readonly traceId: string;
  readonly attempts: number;
}

// Two gateway processes sharing the real Redis and a real Kafka broker,
// behind a round-robin client that retries on the other replica when a
// connection fails. Replica A is killed (SIGKILL) mid-traffic and later
// restarted on its data dir, so its outbox relays what it had kept.
describeWithKafka('two gateway replicas', (kafka) => {
  const secret = randomBytes(32);
  const user = `u-replicas-${randomUUID()}`;
  const replicas: Replica[] = [];
  const redis = new Redis(REDIS_URL, { lazyConnect: true });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.process.kill();
      rmSync(replica.dataDir, { recursive: true, force: true });
    }
    await redis.connect().catch(() => undefined);
    const keys = await redis.keys(`*${user}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  function start(replica: Omit<Replica, 'process'>): ServiceProcess {
    return spawnService('gateway', {
      HOST: '127.0.0.1',
      PORT: String(replica.port),
      FIELDWISE_DATA_DIR: replica.dataDir,
      AUTH_JWT_SECRET: secret.toString('base64'),
      REDIS_URL,
      RATE_LIMIT_REDIS_FAILURE: 'closed',
      RATE_LIMIT_WINDOW: '1h',
      RATE_LIMIT_ROUTE_MAX: String(LIMIT),
      KAFKA_BROKERS: kafka.broker().brokers.join(','),
      // No backends: /v1/models answers from the gateway's own config.
      AGENT_SERVICE_ADDR: '127.0.0.1:1',
      CRM_SERVICE_ADDR: '127.0.0.1:1',
      RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
      EVAL_SERVICE_ADDR: '127.0.0.1:1',
      SHUTDOWN_GRACE: '5s',
    });
  }

  it('keeps rate limits global, loses and duplicates no audit event, and retrying clients succeed', async () => {
    for (let i = 0; i < 2; i++) {
      const replica = {
        port: await freePort(),
        dataDir: mkdtempSync(join(tmpdir(), `fieldwise-replica-${i}-`)),
      };
      replicas.push({ ...replica, process: start(replica) });
    }
    for (const replica of replicas) {
      await waitReady(`http://127.0.0.1:${replica.port}/healthz`);
    }
    const token = await new SignJWT({
      tenant: 'lumen',
      roles: ['seller'],
      territories: ['amer-east'],
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user)
      .setIssuer('fieldwise-dev')
      .setAudience('fieldwise-api')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new Uint8Array(secret));

    // 1. Round robin; a connection failure is retried on the next replica.
    let next = 0;
    const call = async (): Promise<Outcome> => {
      for (let attempt = 1; attempt <= 4; attempt++) {
        const replica = replicas[next++ % replicas.length]!;
        try {
          const response = await fetch(
            `http://127.0.0.1:${replica.port}/v1/models`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          await response.arrayBuffer();
          return {
            status: response.status,
            traceId: response.headers.get('trace-id') ?? '',
            attempts: attempt,
          };
        } catch {
          // Connection refused or reset: the replica is gone; try the next.
        }
      }
      throw new Error('no replica answered');
    };
    const outcomes: Outcome[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      if (i === REQUESTS / 4) replicas[0]!.process.signal('SIGKILL');
      outcomes.push(await call());
    }
    expect(await replicas[0]!.process.exited).toBe('SIGKILL');

    // 2. Every client got an answer; the shared counters held the limit.
    expect(outcomes.every((o) => o.status === 200 || o.status === 429)).toBe(
      true,
    );
    expect(outcomes.some((o) => o.attempts > 1)).toBe(true);
    const accepted = outcomes.filter((o) => o.status === 200);
    expect(accepted).toHaveLength(LIMIT);
    expect(outcomes.filter((o) => o.status === 429)).toHaveLength(
      REQUESTS - LIMIT,
    );

    // 3. Restart the killed replica on its data dir (its outbox relays what
    //    it kept), then drain both so everything reaches Kafka.
    replicas[0]!.process = start(replicas[0]!);
    await waitReady(`http://127.0.0.1:${replicas[0]!.port}/healthz`);
    for (const replica of replicas) replica.process.signal('SIGTERM');
    for (const replica of replicas) {
      expect(await replica.process.exited).toBe(0);
    }

    // 4. Consume the audit topic; dedupe by event id.
    const client = new Kafka({
      clientId: 'replica-test',
      brokers: kafka.broker().brokers,
      logLevel: logLevel.NOTHING,
    });
    const consumer = client.consumer({ groupId: `replica-test-${user}` });
    const byId = new Map<string, { type: string; traceId: unknown }>();
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.audit, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}') as {
          id: string;
          type: string;
          principal?: string;
          data?: { traceId?: unknown };
        };
        if (event.principal === user) {
          byId.set(event.id, {
            type: event.type,
            traceId: event.data?.traceId,
          });
        }
        return Promise.resolve();
      },
    });
    const requestTraces = () =>
      [...byId.values()]
        .filter((e) => e.type === AUDIT_EVENT_TYPES.request)
        .map((e) => e.traceId);
    try {
      await waitFor(
        () => outcomes.every((o) => requestTraces().includes(o.traceId)),
        {
          timeoutMs: 60_000,
          description: 'every answered request on the audit topic',
        },
      );
    } finally {
      await consumer.disconnect();
    }
    // Exactly one request event per answered request, after dedupe.
    const traces = requestTraces();
    for (const outcome of outcomes) {
      expect(traces.filter((t) => t === outcome.traceId)).toHaveLength(1);
    }
  }, 240_000);
});
