import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvalServiceService } from '@fieldwise/contracts';
import {
  EVENT_PAYLOAD_SCHEMAS,
  FEEDBACK_EVENT_TYPES,
  KafkaEventPublisher,
  SqliteOutbox,
  TOPICS,
} from '@fieldwise/events';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import { describeWithKafka, waitFor } from '@fieldwise/testing';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { feedbackIntakeSchema } from '../../src/adapters/feedback/feedback-intake.js';
import { loadEvalConfig } from '../../src/config.js';
import { evalServiceOptions } from '../../src/server.js';

const silent = pino({ level: 'silent' });

describeWithKafka(
  'feedback intake through a real Kafka broker',
  ({ broker }) => {
    let root: string;
    let service: ServiceUnderTest;
    let kafka: Kafka;
    let outbox: SqliteOutbox;
    let publisher: KafkaEventPublisher;

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'eval-feedback-'));
      kafka = new Kafka({
        clientId: 'eval-feedback-test',
        brokers: broker().brokers,
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [TOPICS.feedback, TOPICS.feedbackDlq].map((topic) => ({
          topic,
          numPartitions: 1,
        })),
        waitForLeaders: true,
      });
      await admin.disconnect();
      const config = loadEvalConfig({
        FIELDWISE_DATA_DIR: join(root, 'data'),
        GRPC_PORT: '0',
        LOG_LEVEL: 'silent',
        KAFKA_BROKERS: broker().brokers.join(','),
      });
      service = await startServiceForTest({
        name: 'eval',
        config,
        ...evalServiceOptions(config),
      });
      // The gateway's way: the events lib builds the CloudEvent, a publisher sends the outbox row.
      // The published feedback schema lacks question, answer and corrected answer; the
      // gateway's route is expected to add them, so the test's producer validates with
      // the eval intake schema (a superset) instead of stripping them.
      const schemas = new Map(EVENT_PAYLOAD_SCHEMAS);
      schemas.set(FEEDBACK_EVENT_TYPES.submitted, feedbackIntakeSchema);
      outbox = SqliteOutbox.open({
        dataDir: join(root, 'gateway'),
        logger: silent,
        schemas,
      });
      publisher = new KafkaEventPublisher({
        brokers: broker().brokers,
        logger: silent,
      });
    });
    afterAll(async () => {
      await publisher?.close();
      outbox?.close();
      await service?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    function feedback(
      rating: 'up' | 'down',
      extra: Record<string, unknown> = {},
    ) {
      const feedbackId = `fb-${randomUUID()}`;
      return outbox.append({
        topic: TOPICS.feedback,
        key: 'conv-42',
        type: FEEDBACK_EVENT_TYPES.submitted,
        source: '/fieldwise/gateway',
        id: feedbackId,
        tenant: 'lumen',
        principal: 'u-seller-1',
        data: {
          feedbackId,
          conversationId: 'conv-42',
          messageId: 'msg-7',
          userId: 'u-seller-1',
          tenant: 'lumen',
          rating,
          reasons: ['wrong-numbers'],
          comment: 'ARR is wrong',
          ...extra,
        },
      });
    }

    it('turns a thumbs-down delivered twice into exactly one candidate case and dead-letters poison', async () => {
      const negative = feedback('down', {
        question: 'What is the ARR of Acme?',
        answer: 'Acme has an ARR of $2M.',
        correctedAnswer: 'Acme has an ARR of $1.2M.',
        toolCalls: [
          {
            name: 'account_360',
            arguments: { accountId: 'acc-1' },
            status: 'executed',
          },
        ],
      });
      const positive = feedback('up');
      // 1. The same event twice (at-least-once delivery), a positive one, then poison.
      await publisher.publish([negative.record]);
      await publisher.publish([negative.record, positive.record]);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: TOPICS.feedback,
        messages: [{ key: 'conv-42', value: '{not json' }],
      });
      await producer.disconnect();

      // 2. The poison lands in the dead-letter topic with its reason.
      const dead: { value: string; reason: string }[] = [];
      const consumer = kafka.consumer({
        groupId: `dlq-reader-${randomUUID()}`,
      });
      await consumer.connect();
      await consumer.subscribe({
        topic: TOPICS.feedbackDlq,
        fromBeginning: true,
      });
      await consumer.run({
        eachMessage: ({ message }) => {
          dead.push({
            value: message.value?.toString('utf8') ?? '',
            reason: message.headers?.['fieldwise-dlq-reason']?.toString() ?? '',
          });
          return Promise.resolve();
        },
      });
      await waitFor(() => dead.length >= 1, { timeoutMs: 60_000 });
      await consumer.disconnect();
      expect(dead).toEqual([{ value: '{not json', reason: 'unparseable' }]);

      // 3. Exactly one candidate, for the negative feedback only (the poison came last on one partition).
      const client = service.client(EvalServiceService);
      const principalToken = await service.sign({
        userId: 'u-admin-1',
        tenant: 'lumen',
        roles: ['admin'],
        territories: [],
      });
      const { candidates } = await client.listCandidateCases(
        { includeAccepted: true },
        { principalToken },
      );
      expect(candidates).toHaveLength(1);
      expect(candidates[0]).toMatchObject({
        feedbackId: negative.event.id,
        conversationId: 'conv-42',
        question: 'What is the ARR of Acme?',
        correctedAnswer: 'Acme has an ARR of $1.2M.',
        proposedCase: {
          question: 'What is the ARR of Acme?',
          userId: 'u-seller-1',
          referenceAnswer: 'Acme has an ARR of $1.2M.',
          source: `feedback:${negative.event.id}`,
          expectedTools: [{ name: 'account_360', argumentsJson: '{}' }],
        },
      });
    });
  },
);
