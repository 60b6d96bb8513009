import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SqliteOutbox } from '@fieldwise/events';
import {
  runGrpcService,
  type RunningService,
  type ServiceRegistration,
} from '@fieldwise/grpc';
import { createPrincipalSigner } from '@fieldwise/principal';
import { METRIC_NAMES } from '@fieldwise/telemetry';
import {
  parsePrometheusText,
  sampleValue,
  type PrometheusSample,
} from '@fieldwise/telemetry/testing';
import {
  createAgentApp,
  type AgentApp,
} from '../../../agent-service/src/app.js';
import { loadAgentConfig } from '../../../agent-service/src/config.js';
import { SqliteCrmStore } from '../../../crm-service/src/adapters/store/sqlite-crm-store.js';
import { loadCrmConfig } from '../../../crm-service/src/config.js';
import {
  DEFAULT_REFERENCE_DATE,
  DEFAULT_SEED,
  generateGoldDataset,
  parseDomainVocabulary,
} from '../../../crm-service/src/domain/index.js';
import {
  buildCrmServices,
  referenceClock,
} from '../../../crm-service/src/server.js';
import { GrpcAgentClient } from '../../src/clients/agent-client.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const GOLD_TODAY = new Date(`${DEFAULT_REFERENCE_DATE}T12:00:00.000Z`);
const CHAT_RPC = '/fieldwise.agent.v1.AgentService/Chat';

async function scrape(port: number | undefined): Promise<PrometheusSample[]> {
  const response = await fetch(`http://127.0.0.1:${String(port)}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

// Gateway → agent (offline planner, real tool loop) → crm (GOLD data), in
// this process; each service's /metrics is scraped after a chat flow.
describe('/metrics after a chat flow', () => {
  const root = mkdtempSync(join(tmpdir(), 'fieldwise-metrics-'));
  const principalKey = randomBytes(32);
  const silent = pino({ level: 'silent' });
  let crm: RunningService;
  let agent: RunningService;
  let agentApp: AgentApp | undefined;
  let agentClient: GrpcAgentClient;
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    const vocabulary = parseDomainVocabulary(
      JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'domain.json'), 'utf8')),
    );
    const data = generateGoldDataset(vocabulary, {
      seed: DEFAULT_SEED,
      referenceDate: DEFAULT_REFERENCE_DATE,
    });
    const shared = {
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
      FIELDWISE_PRINCIPAL_KEY: principalKey.toString('base64'),
    };
    const crmDir = join(root, 'crm');
    const store = await SqliteCrmStore.open({
      dataDir: crmDir,
      logger: silent,
    });
    await store.insertDataset(data);
    const crmOutbox = SqliteOutbox.open({
      dataDir: crmDir,
      fileName: 'crm-outbox.sqlite',
      logger: silent,
    });
    crm = await runGrpcService({
      name: 'crm',
      config: loadCrmConfig({ ...shared, FIELDWISE_DATA_DIR: crmDir }),
      handleSignals: false,
      services: ({ logger, metrics }) => {
        metrics.addOutbox('crm', crmOutbox);
        return Promise.resolve(
          buildCrmServices({
            store,
            outbox: crmOutbox,
            vocabulary,
            clock: referenceClock(DEFAULT_REFERENCE_DATE),
            logger,
          }),
        );
      },
      onShutdown: async () => {
        crmOutbox.close();
        await store.close();
      },
    });
    const agentConfig = loadAgentConfig({
      ...shared,
      FIELDWISE_DATA_DIR: join(root, 'agent'),
      CRM_SERVICE_ADDR: `127.0.0.1:${crm.port}`,
      RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
    });
    agent = await runGrpcService({
      name: 'agent',
      config: agentConfig,
      handleSignals: false,
      services: async (runtime): Promise<readonly ServiceRegistration[]> => {
        agentApp = await createAgentApp(agentConfig, runtime, {
          clock: () => GOLD_TODAY,
        });
        return agentApp.services;
      },
      onShutdown: async () => {
        await agentApp?.close();
      },
    });
    agentClient = new GrpcAgentClient(`127.0.0.1:${agent.port}`, {
      deadlineMs: 10_000,
      chatDeadlineMs: 30_000,
      logger: silent,
    });
    gateway = await buildTestGateway(
      echoIdentity,
      {
        agent: agentClient,
        signer: createPrincipalSigner({ key: new Uint8Array(principalKey) }),
      },
      { env: { RATE_LIMIT_ROUTE_MAX: '3' } },
    );
    const seller = data.users.find((u) => u.id === 'usr-lumen-seller-03');
    if (!seller) throw new Error('seeded seller missing');
    token = await gateway.token({
      sub: seller.id,
      tenant: seller.tenantId,
      roles: ['seller'],
      territories: [...seller.territories],
    });

    // The traffic every assertion below reads: two chats (one with an
    // e-mail address the input guardrail catches), then the whoami route
    // past its limit of 3 per window.
    const headers = { authorization: `Bearer ${token}` };
    for (const message of [
      'Brief me on acme corp',
      'Brief me on acme corp, reach me at planted.person@example.com',
    ]) {
      const chat = await gateway.app.inject({
        method: 'POST',
        url: '/v1/chat',
        headers,
        payload: { message },
      });
      expect(chat.statusCode, chat.body).toBe(200);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const whoami = await gateway.app.inject({
        method: 'GET',
        url: '/v1/whoami',
        headers,
      });
      statuses.push(whoami.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  }, 120_000);

  afterAll(async () => {
    await gateway?.app.close();
    agentClient?.close();
    await agent?.drain({ timeoutMs: 2_000 });
    await crm?.drain({ timeoutMs: 2_000 });
    rmSync(root, { recursive: true, force: true });
  });

  it('gateway: requests, errors and duration per route, guardrail hits, rate-limit rejections, outbox', async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/metrics',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const samples = parsePrometheusText(response.body);
    const chat = { method: 'POST', route: '/v1/chat', service: 'gateway' };
    expect(
      sampleValue(samples, METRIC_NAMES.httpRequests, {
        ...chat,
        status: '200',
      }),
    ).toBe(2);
    expect(
      sampleValue(samples, `${METRIC_NAMES.httpDuration}_count`, chat),
    ).toBe(2);
    const whoami = { method: 'GET', route: '/v1/whoami' };
    expect(
      sampleValue(samples, METRIC_NAMES.httpErrors, {
        ...whoami,
        status: '429',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, METRIC_NAMES.rateLimitRejections, {
        limit: 'route',
        route: 'GET /v1/whoami',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, METRIC_NAMES.guardrailHits, {
        rule: 'pii',
        stage: 'input',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, METRIC_NAMES.outboxDepth, {
        outbox: 'gateway-audit',
      }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(samples, METRIC_NAMES.outboxLag, { outbox: 'gateway-audit' }),
    ).toBeGreaterThanOrEqual(0);
  });

  it('agent: per-RPC series, model tokens and latency per provider, tool calls per tool and outcome', async () => {
    const samples = await scrape(agent.metricsPort);
    expect(
      sampleValue(samples, METRIC_NAMES.rpcHandled, {
        method: CHAT_RPC,
        code: 'OK',
        service: 'agent',
      }),
    ).toBe(2);
    expect(
      sampleValue(samples, `${METRIC_NAMES.rpcDuration}_count`, {
        method: CHAT_RPC,
      }),
    ).toBe(2);
    expect(
      sampleValue(samples, `${METRIC_NAMES.modelDuration}_count`, {
        provider: 'offline',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(samples, METRIC_NAMES.modelTokens, {
        provider: 'offline',
        kind: 'output',
      }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(samples, METRIC_NAMES.toolCalls, {
        tool: 'account_360',
        outcome: 'executed',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(samples, METRIC_NAMES.outboxDepth, { outbox: 'agent' }),
    ).toBeGreaterThan(0);
  });

  it('crm: the RPCs the agent made, and its outbox', async () => {
    const samples = await scrape(crm.metricsPort);
    const calls = samples.filter(
      (s) =>
        s.name === METRIC_NAMES.rpcHandled &&
        s.labels['method']?.startsWith('/fieldwise.crm.v1.CrmService/'),
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(
      sampleValue(samples, METRIC_NAMES.outboxDepth, { outbox: 'crm' }),
    ).toBe(0);
  });
});
