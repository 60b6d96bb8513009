import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY_PATH } from '@fieldwise/authz';
import { AUDIT_EVENT_TYPES, readOutbox } from '@fieldwise/events';
import { loadGatewayConfig } from '../../src/config.js';
import { createGovernance } from '../../src/governance.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });

describe('policy edits reach every replica through Redis', () => {
  let shared: string;
  let replicas: TestGateway[];

  beforeAll(async () => {
    shared = mkdtempSync(join(tmpdir(), 'fieldwise-policy-'));
    const policy = join(shared, 'policy.csv');
    copyFileSync(DEFAULT_POLICY_PATH, policy);
    const options = {
      jwtSecret: new Uint8Array(randomBytes(32)),
      env: {
        REDIS_URL,
        AUTHZ_POLICY_PATH: policy,
        AUTHZ_POLICY_CHANNEL: `fieldwise.test.policy.${randomBytes(6).toString('hex')}`,
      },
    };
    replicas = [
      await buildTestGateway(echoIdentity, {}, options),
      await buildTestGateway(echoIdentity, {}, options),
    ];
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.app.close()));
    rmSync(shared, { recursive: true, force: true });
  });

  it('applies an admin edit made on one replica on the other', async () => {
    const [a, b] = replicas as [TestGateway, TestGateway];
    const versionB = b.governance.governance.authorizer.policyVersion;
    const admin = await a.token({ sub: 'u-admin', roles: ['admin'] });
    const edit = await a.app.inject({
      method: 'PUT',
      url: '/v1/policy',
      headers: { authorization: `Bearer ${admin}` },
      payload: { lines: ['p, role:seller, lumen, /v1/models, GET, deny'] },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ notified: true });
    await vi.waitFor(
      () =>
        expect(
          b.governance.governance.authorizer.policyVersion,
        ).toBeGreaterThan(versionB),
      { timeout: 5_000, interval: 50 },
    );
    const seller = await b.token({ sub: 'u-seller', roles: ['seller'] });
    const response = await b.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${seller}` },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('audit relay wiring', () => {
  it('relays to Kafka only when brokers are set, and keeps undelivered events in the outbox on close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-relay-'));
    try {
      const without = await createGovernance(
        loadGatewayConfig({ FIELDWISE_DATA_DIR: join(dataDir, 'a') }),
        { logger },
      );
      expect(without.adapters.events).toBe('outbox');
      await without.close();

      const running = await createGovernance(
        loadGatewayConfig({
          FIELDWISE_DATA_DIR: join(dataDir, 'b'),
          KAFKA_BROKERS: '127.0.0.1:1',
        }),
        { logger },
      );
      expect(running.adapters.events).toBe('outbox+kafka');
      const { sink, outboxPath } = running.governance.audit;
      sink.record(
        AUDIT_EVENT_TYPES.request,
        {
          traceId: 'a'.repeat(32),
          actor: {
            userId: 'u-1',
            kind: 'user',
            roles: ['seller'],
            tenant: 'lumen',
          },
          service: 'gateway',
          requestId: 'r-1',
          protocol: 'http',
          method: 'GET',
          route: '/v1/models',
          status: 200,
          latencyMs: 1,
        },
        {},
      );
      await running.close(300);
      const rows = [...readOutbox(outboxPath)];
      expect(rows).toHaveLength(1);
      expect(rows[0]?.record.sentAt).toBeNull();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
