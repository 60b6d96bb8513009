// Issue 7's must-show: feedback posted through the gateway reaches the eval
// service through a real Kafka broker and becomes exactly one candidate case,
// also when the event is delivered twice. Real services in this process,
// wired as their main.ts wires them: gateway (buildServer) → agent (offline
// planner) → crm (GOLD data); the agent's outbox relay publishes to Kafka and
// the eval service's feedback intake consumes it. Tests may import across
// apps; sources may not (eslint.config.mjs).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EvalServiceService } from '@fieldwise/contracts';
import { SqliteOutbox, TOPICS } from '@fieldwise/events';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import { createPrincipalSigner } from '@fieldwise/principal';
import { describeWithKafka, waitFor } from '@fieldwise/testing';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgentApp } from '../../../agent-service/src/app.js';
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
import { GrpcAgentClient } from '../../../gateway/src/clients/agent-client.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../../../gateway/test/helpers/gateway.js';
import { SqliteEvalStore } from '../../src/adapters/store/sqlite-eval-store.js';
import { loadEvalConfig } from '../../src/config.js';
import { evalDataDir, evalServiceOptions } from '../../src/server.js';
import { PACKAGE_ROOT, silentLogger } from '../helpers/fixtures.js';

const REPO_ROOT = resolve(PACKAGE_ROOT, '..', '..');
const GOLD_TODAY = new Date(`${DEFAULT_REFERENCE_DATE}T12:00:00.000Z`);
const PLANTED_EMAIL = 'planted.seller@example.com';

interface WireMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders | undefined;
}

describeWithKafka(
  'feedback through the gateway, Kafka and the eval intake',
  ({ broker }) => {
    const root = mkdtempSync(join(tmpdir(), 'eval-feedback-e2e-'));
    const principalKey = randomBytes(32);
    const groupId = `eval-feedback-${randomUUID()}`;
    const services: ServiceUnderTest[] = [];
    let kafka: Kafka;
    let agentClient: GrpcAgentClient;
    let gateway: TestGateway;
    let evalService: ServiceUnderTest;
    let token: string;

    beforeAll(async () => {
      const brokers = broker().brokers;
      kafka = new Kafka({
        clientId: 'feedback-e2e-test',
        brokers,
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [
          TOPICS.feedback,
          TOPICS.feedbackDlq,
          TOPICS.audit,
          TOPICS.auditDlq,
        ].map((topic) => ({ topic, numPartitions: 1 })),
        waitForLeaders: true,
      });
      await admin.disconnect();
      const shared = {
        GRPC_PORT: '0',
        LOG_LEVEL: 'silent',
        FIELDWISE_PRINCIPAL_KEY: principalKey.toString('base64'),
        KAFKA_BROKERS: brokers.join(','),
      };

      // 1. crm-service on the GOLD data.
      const vocabulary = parseDomainVocabulary(
        JSON.parse(
          readFileSync(join(REPO_ROOT, 'data', 'domain.json'), 'utf8'),
        ),
      );
      const crmDir = join(root, 'crm');
      const crmConfig = loadCrmConfig({
        ...shared,
        KAFKA_BROKERS: '',
        FIELDWISE_DATA_DIR: crmDir,
      });
      const store = await SqliteCrmStore.open({
        dataDir: crmDir,
        logger: silentLogger,
      });
      const data = generateGoldDataset(vocabulary, {
        seed: DEFAULT_SEED,
        referenceDate: DEFAULT_REFERENCE_DATE,
      });
      await store.insertDataset(data);
      const crmOutbox = SqliteOutbox.open({
        dataDir: crmDir,
        fileName: 'crm-outbox.sqlite',
        logger: silentLogger,
      });
      const crm = await startServiceForTest({
        name: 'crm',
        config: crmConfig,
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
      services.push(crm);

      // 2. agent-service, relaying its outbox (feedback events) to Kafka.
      const agentConfig = loadAgentConfig({
        ...shared,
        FIELDWISE_DATA_DIR: join(root, 'agent'),
        CRM_SERVICE_ADDR: crm.address,
        // This flow needs CRM tools only.
        RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
      });
      let closeAgent: (() => Promise<void>) | undefined;
      const agent = await startServiceForTest({
        name: 'agent',
        config: agentConfig,
        services: async (runtime) => {
          const app = await createAgentApp(agentConfig, runtime, {
            clock: () => GOLD_TODAY,
          });
          closeAgent = () => app.close();
          return app.services;
        },
        onShutdown: async () => {
          await closeAgent?.();
        },
      });
      services.push(agent);

      // 3. eval-service with its Kafka feedback intake.
      const evalConfig = loadEvalConfig({
        ...shared,
        FIELDWISE_DATA_DIR: join(root, 'eval'),
        EVAL_FEEDBACK_GROUP: groupId,
      });
      evalService = await startServiceForTest({
        name: 'eval',
        config: evalConfig,
        ...evalServiceOptions(evalConfig),
      });
      services.push(evalService);

      // 4. The gateway, built as main.ts builds it, calling the real agent.
      agentClient = new GrpcAgentClient(agent.address, {
        deadlineMs: 10_000,
        chatDeadlineMs: 60_000,
        logger: silentLogger,
      });
      gateway = await buildTestGateway(echoIdentity, {
        agent: agentClient,
        signer: createPrincipalSigner({ key: new Uint8Array(principalKey) }),
      });
      const seller = data.users.find((u) => u.id === 'usr-lumen-seller-03');
      if (!seller) throw new Error('seeded seller missing');
      token = await gateway.token({
        sub: seller.id,
        tenant: seller.tenantId,
        roles: ['seller'],
        territories: [...seller.territories],
      });
    }, 240_000);

    afterAll(async () => {
      await gateway?.app.close();
      agentClient?.close();
      for (const service of services.reverse()) await service.stop();
      rmSync(root, { recursive: true, force: true });
    });

    /** Every message of the feedback topic, read from the beginning by a fresh group. */
    async function feedbackMessages(atLeast: number): Promise<WireMessage[]> {
      const seen: WireMessage[] = [];
      const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic: TOPICS.feedback, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          seen.push({
            key: message.key,
            value: message.value,
            headers: message.headers,
          });
          return Promise.resolve();
        },
      });
      await waitFor(() => seen.length >= atLeast, {
        timeoutMs: 60_000,
        description: `${atLeast} feedback message(s) on Kafka`,
      });
      await consumer.disconnect();
      return seen;
    }

    /** True once the eval intake's group has committed every message of the topic. */
    async function intakeCaughtUp(): Promise<boolean> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [end] = await admin.fetchTopicOffsets(TOPICS.feedback);
        const [committed] = await admin.fetchOffsets({
          groupId,
          topics: [TOPICS.feedback],
        });
        const offset = committed?.partitions[0]?.offset ?? '-1';
        return end !== undefined && offset === end.high;
      } finally {
        await admin.disconnect();
      }
    }

    it('turns a thumbs-down posted through the gateway into exactly one candidate case, also when delivered twice', async () => {
      // 1. A real answer to rate.
      const chat = await gateway.app.inject({
        method: 'POST',
        url: '/v1/chat',
        headers: { authorization: `Bearer ${token}` },
        payload: { message: 'Brief me on acme corp' },
      });
      expect(chat.statusCode, chat.body).toBe(200);
      const answer = chat.json<{
        conversationId: string;
        messageId: string;
        answer: string;
      }>();
      expect(answer.answer).toContain('$1,597,488');

      // 2. Negative feedback with a correction, a draft edit and planted PII.
      const posted = await gateway.app.inject({
        method: 'POST',
        url: '/v1/feedback',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          conversationId: answer.conversationId,
          messageId: answer.messageId,
          rating: 'down',
          comment: `Missing the renewal date; mail ${PLANTED_EMAIL}`,
          correctedAnswer: 'Acme Corporation renews in March; ARR $1,597,488.',
          draftEdits: [
            {
              draftId: 'draft-acme-1',
              changes: [
                {
                  field: 'subject',
                  before: 'Checking in',
                  after: 'Acme renewal: next steps',
                },
              ],
            },
          ],
        },
      });
      expect(posted.statusCode, posted.body).toBe(202);
      const { feedbackId } = posted.json<{ feedbackId: string }>();

      // 3. The event on the broker carries the rated turn and the edits, with no clear PII.
      const [onWire] = await feedbackMessages(1);
      const wire = JSON.parse(onWire!.value!.toString('utf8')) as {
        id: string;
        data: Record<string, unknown>;
      };
      expect(wire.id).toBe(feedbackId);
      expect(wire.data).toMatchObject({
        feedbackId,
        rating: 'down',
        question: 'Brief me on acme corp',
        correctedAnswer: 'Acme Corporation renews in March; ARR $1,597,488.',
        draftEdits: [
          {
            draftId: 'draft-acme-1',
            field: 'subject',
            before: 'Checking in',
            after: 'Acme renewal: next steps',
          },
        ],
      });
      // The answer as stored: the owner's e-mail address redacted.
      expect(String(wire.data['answer'])).toContain('ARR: $1,597,488');
      const clear = onWire!.value!.toString('utf8');
      expect(clear).not.toContain(PLANTED_EMAIL);
      expect(answer.answer).toContain('daniel.wagner@lumendata.com');
      expect(clear).not.toContain('daniel.wagner@lumendata.com');
      expect(clear).toContain('[REDACTED:EMAIL]');

      // 4. The eval service made one candidate of it.
      const client = evalService.client(EvalServiceService);
      const asAdmin = {
        principalToken: await evalService.sign({
          userId: 'usr-lumen-admin-01',
          tenant: 'lumen',
          roles: ['admin'],
          territories: [],
        }),
      };
      const candidates = async () =>
        (await client.listCandidateCases({ includeAccepted: true }, asAdmin))
          .candidates;
      await waitFor(async () => (await candidates()).length > 0, {
        timeoutMs: 60_000,
        description: 'a candidate case',
      });

      // 5. Kafka delivers the very same record again (at-least-once).
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: TOPICS.feedback,
        messages: [
          {
            key: onWire!.key,
            value: onWire!.value,
            ...(onWire!.headers ? { headers: onWire!.headers } : {}),
          },
        ],
      });
      await producer.disconnect();
      await waitFor(intakeCaughtUp, {
        timeoutMs: 60_000,
        description: 'the eval intake to consume the redelivery',
      });

      // 6. Still exactly one candidate, carrying question, answer, correction and edits.
      const after = await candidates();
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({
        feedbackId,
        conversationId: answer.conversationId,
        messageId: answer.messageId,
        userId: 'usr-lumen-seller-03',
        question: 'Brief me on acme corp',
        answer: wire.data['answer'],
        correctedAnswer: 'Acme Corporation renews in March; ARR $1,597,488.',
        proposedCase: {
          question: 'Brief me on acme corp',
          referenceAnswer: 'Acme Corporation renews in March; ARR $1,597,488.',
          source: `feedback:${feedbackId}`,
        },
      });
      expect(after[0]?.comment).not.toContain(PLANTED_EMAIL);
      // The draft edits are kept with the candidate in the eval store.
      const store = await SqliteEvalStore.open({
        dataDir: evalDataDir(join(root, 'eval')),
        logger: silentLogger,
      });
      try {
        const [stored] = await store.listCandidateCases('lumen');
        expect(stored?.draftEdits).toEqual([
          {
            draftId: 'draft-acme-1',
            field: 'subject',
            before: 'Checking in',
            after: 'Acme renewal: next steps',
          },
        ]);
      } finally {
        await store.close();
      }
    }, 240_000);
  },
);
