import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { readOutbox, SqliteOutbox } from '@fieldwise/events';
import {
  runGrpcService,
  type RunningGrpcServer,
  type ServiceRegistration,
} from '@fieldwise/grpc';
import { createPrincipalSigner } from '@fieldwise/principal';
import { createInMemoryTracing } from '@fieldwise/telemetry/testing';
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
import { auditEvents } from '../helpers/audit.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import { parseSse } from '../helpers/sse.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const GOLD_TODAY = new Date(`${DEFAULT_REFERENCE_DATE}T12:00:00.000Z`);

// Values planted in the chat message, and the spellings a leak could take.
const PLANTED = {
  email: ['planted.person@example.com'],
  phone: ['+44 20 7946 0958', '2079460958', '+442079460958'],
  card: ['4111 1111 1111 1111', '4111111111111111'],
  iban: ['GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432'],
};
const PLANTED_VALUES = Object.values(PLANTED).flat();

/** Every line a pino logger wrote, kept in memory. */
function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

function leaksIn(text: string): string[] {
  return PLANTED_VALUES.filter((value) => text.includes(value));
}

// The whole path with real services in this process: gateway → agent (offline
// planner, real tool loop) → crm (GOLD data in SQLite), one principal key,
// in-memory tracing, and every log line, span and audit event captured.
describe('end to end: a chat flow through gateway, agent and crm', () => {
  const tracing = createInMemoryTracing();
  const logs = {
    gateway: captureLines(),
    agent: captureLines(),
    crm: captureLines(),
  };
  const root = mkdtempSync(join(tmpdir(), 'fieldwise-e2e-'));
  const principalKey = randomBytes(32);
  let crm: RunningGrpcServer;
  let agent: RunningGrpcServer;
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
      LOG_LEVEL: 'debug',
      FIELDWISE_PRINCIPAL_KEY: principalKey.toString('base64'),
    };

    const crmDir = join(root, 'crm');
    const crmConfig = loadCrmConfig({ ...shared, FIELDWISE_DATA_DIR: crmDir });
    const silent = pino({ level: 'silent' });
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
      config: crmConfig,
      handleSignals: false,
      logDestination: logs.crm.stream,
      services: ({ logger }) =>
        Promise.resolve(
          buildCrmServices({
            store,
            outbox: crmOutbox,
            vocabulary,
            clock: referenceClock(DEFAULT_REFERENCE_DATE),
            logger,
          }),
        ),
      onShutdown: async () => {
        crmOutbox.close();
        await store.close();
      },
    });

    const agentConfig = loadAgentConfig({
      ...shared,
      FIELDWISE_DATA_DIR: join(root, 'agent'),
      CRM_SERVICE_ADDR: `127.0.0.1:${crm.port}`,
      // No retrieval service: this flow needs CRM tools only.
      RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
    });
    agent = await runGrpcService({
      name: 'agent',
      config: agentConfig,
      handleSignals: false,
      logDestination: logs.agent.stream,
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
      { logger: pino({ level: 'debug' }, logs.gateway.stream) },
    );
    const seller = data.users.find((u) => u.id === 'usr-lumen-seller-03');
    if (!seller) throw new Error('seeded seller missing');
    token = await gateway.token({
      sub: seller.id,
      tenant: seller.tenantId,
      roles: ['seller'],
      territories: [...seller.territories],
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.app.close();
    agentClient?.close();
    await agent?.drain({ timeoutMs: 2_000 });
    await crm?.drain({ timeoutMs: 2_000 });
    await tracing.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  // The PII rides along a second turn: the planner's answer to the first
  // one is checked exactly, the second only for where its text went.
  const piiMessage =
    `Thanks. Send the follow-up to ${PLANTED.email[0]} or call ` +
    `${PLANTED.phone[0]}; bill card ${PLANTED.card[0]}, IBAN ${PLANTED.iban[0]}.`;

  it('answers a chat as JSON and as SSE with real tool calls and sources, and leaks no planted PII anywhere', async () => {
    // 1. JSON: the offline planner resolves the account through the CRM.
    const json = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat',
      headers: { authorization: `Bearer ${token}` },
      payload: { message: 'Brief me on acme corp' },
    });
    expect(json.statusCode, json.body).toBe(200);
    const answer = json.json<{
      conversationId: string;
      messageId: string;
      answer: string;
      toolCalls: { name: string; status: string; arguments: object }[];
      model: { provider: string };
    }>();
    expect(answer.model.provider).toBe('offline');
    expect(answer.toolCalls).toContainEqual({
      name: 'account_360',
      arguments: { accountId: 'acc-lumen-0001' },
      status: 'executed',
    });
    expect(answer.answer).toContain('$1,597,488');

    // 2. SSE, continuing the conversation, with the planted PII.
    const sse = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'text/event-stream',
      },
      payload: { message: piiMessage, conversationId: answer.conversationId },
    });
    expect(sse.statusCode).toBe(200);
    const events = parseSse(sse.body);
    const final = events.at(-1);
    expect(final?.event, sse.body.slice(-500)).toBe('final');
    expect(final?.data.conversationId).toBe(answer.conversationId);
    const streamed = events
      .filter((e) => e.event === 'delta')
      .map((e) => String(e.data.text))
      .join('');
    expect(final?.data.answer).toBe(streamed);
    expect(streamed.length).toBeGreaterThan(0);

    // 3. The stored conversation holds the message redacted.
    const stored = await gateway.app.inject({
      method: 'GET',
      url: `/v1/conversations/${answer.conversationId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(stored.statusCode, stored.body).toBe(200);
    const conversation = stored.json<{
      messages: { role: string; content: string }[];
    }>();
    expect(conversation.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(conversation.messages[0]?.content).toBe('Brief me on acme corp');
    expect(conversation.messages[2]?.content).toContain('[REDACTED:EMAIL');

    // 4. Feedback on the answer, with the same PII in the comment.
    const feedback = await gateway.app.inject({
      method: 'POST',
      url: '/v1/feedback',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        conversationId: answer.conversationId,
        messageId: answer.messageId,
        rating: 'down',
        comment: `Call ${PLANTED.phone[0]} or mail ${PLANTED.email[0]} instead`,
      },
    });
    expect(feedback.statusCode, feedback.body).toBe(202);

    // 5. The must-show: no planted value in any log line, span or audit event.
    const spans = tracing.spans();
    expect(spans.some((s) => s.name === 'POST /v1/chat')).toBe(true);
    expect(
      spans.some((s) => s.name.includes('AgentService/Chat')),
      spans.map((s) => s.name).join(', '),
    ).toBe(true);
    expect(spans.some((s) => s.name.includes('CrmService'))).toBe(true);
    const spanText = JSON.stringify(
      spans.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        resource: s.resource.attributes,
      })),
    );
    const gatewayAudit = JSON.stringify(auditEvents(gateway));
    const agentOutbox = JSON.stringify([
      ...readOutbox(join(root, 'agent', 'agent-outbox.sqlite')),
    ]);
    const crmOutbox = JSON.stringify([
      ...readOutbox(join(root, 'crm', 'crm-outbox.sqlite')),
    ]);
    expect(logs.gateway.lines.length).toBeGreaterThan(0);
    expect(logs.agent.lines.length).toBeGreaterThan(0);
    expect(gatewayAudit).toContain('fieldwise.audit.request.v1');
    expect(agentOutbox.length).toBeGreaterThan(2);

    const leaks = {
      gatewayLogs: logs.gateway.lines.flatMap(leaksIn),
      agentLogs: logs.agent.lines.flatMap(leaksIn),
      crmLogs: logs.crm.lines.flatMap(leaksIn),
      spans: leaksIn(spanText),
      gatewayAudit: leaksIn(gatewayAudit),
      agentOutbox: leaksIn(agentOutbox),
      crmOutbox: leaksIn(crmOutbox),
    };
    expect(leaks).toEqual({
      gatewayLogs: [],
      agentLogs: [],
      crmLogs: [],
      spans: [],
      gatewayAudit: [],
      agentOutbox: [],
      crmOutbox: [],
    });
  }, 60_000);
});
