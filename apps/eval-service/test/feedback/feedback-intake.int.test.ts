import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvalServiceService } from '@fieldwise/contracts';
import {
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
      // The producer's way: the events lib validates with the published schema and builds the CloudEvent.
      outbox = SqliteOutbox.open({
        dataDir: join(root, 'gateway'),
        logger: silent,
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

    it('turns each thumbs-down delivered twice into exactly one candidate case and dead-letters poison', async () => {
      const negative = feedback('down', {
        question: 'What is the ARR of Acme?',
        answer: 'Acme has an ARR of $2M.',
        correctedAnswer: 'Acme has an ARR of $1.2M.',
        toolCalls: [{ name: 'account_360', status: 'executed' }],
      });
      const edited = feedback('down', {
        question: 'Draft a follow-up to Acme',
        answer: 'Here is a draft.',
        draftEdits: [
          {
            draftId: 'draft-7',
            field: 'subject',
            before: 'Hello',
            after: 'Renewal next steps',
          },
        ],
      });
      const positive = feedback('up');
      // 1. The same event twice (at-least-once delivery), a positive one, then poison.
      await publisher.publish([negative.record]);
      await publisher.publish([negative.record, positive.record]);
      await publisher.publish([edited.record, edited.record]);
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
      expect(candidates).toHaveLength(2);
      const byFeedback = new Map(candidates.map((c) => [c.feedbackId, c]));
      expect(byFeedback.get(negative.event.id)).toMatchObject({
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
      // 4. Draft edits without a corrected answer: the edited draft is the reference.
      expect(byFeedback.get(edited.event.id)).toMatchObject({
        answer: 'Here is a draft.',
        proposedCase: {
          referenceAnswer: 'draft-7 subject: Renewal next steps',
        },
      });
    });
  },
);
