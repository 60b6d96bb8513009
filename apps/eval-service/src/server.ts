import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EvalServiceService } from '@fieldwise/contracts';
import {
  KafkaEventPublisher,
  OutboxRelay,
  SqliteOutbox,
  SqliteProcessedEventStore,
  type EventConsumer,
} from '@fieldwise/events';
import {
  implementService,
  resolvePrincipalKey,
  type RunServiceOptions,
  type ServiceRegistration,
} from '@fieldwise/grpc';
import type { Logger } from 'pino';
import { selectLlmProvider } from '@fieldwise/llm';
import { createFeedbackConsumer } from './adapters/feedback/feedback-consumer.js';
import { createJudgeFromConfig } from './adapters/judge/judge-from-config.js';
import {
  openGrpcRunnerFactory,
  type GrpcRunnerFactory,
} from './adapters/runner/grpc-runner-factory.js';
import {
  openEvalStore,
  selectEvalStoreKind,
  type EvalStore,
} from './adapters/store/index.js';
import type { EvalConfig } from './config.js';
import { createEvalHandlers } from './handlers/eval-handlers.js';
import type { EvalHandlerDeps } from './handlers/handler-deps.js';
import { RunRegistry } from './handlers/run-registry.js';

/** Where the eval service keeps its files inside the (shared) data dir. */
export function evalDataDir(dataDir: string): string {
  return join(dataDir, 'eval');
}

/** The eval outbox's file name under the data dir (the audit CLI finds it there). */
export const EVAL_OUTBOX_FILE = 'eval-outbox.sqlite';

/** Builds the EvalService registration over its handler dependencies. */
export function buildEvalService(deps: EvalHandlerDeps): ServiceRegistration {
  return implementService(EvalServiceService, createEvalHandlers(deps));
}

interface Opened {
  store?: EvalStore;
  outbox?: SqliteOutbox;
  relay?: OutboxRelay;
  publisher?: KafkaEventPublisher;
  runners?: GrpcRunnerFactory;
  consumer?: EventConsumer;
  dedupe?: SqliteProcessedEventStore;
  runs?: RunRegistry;
  logger?: Logger;
}

/**
 * The service part of `runGrpcService` options for the eval service:
 * `services` opens the store (SQLite or PostgreSQL), the outbox for
 * impersonation audit events (relayed to Kafka when KAFKA_BROKERS is set),
 * the gRPC agent runner (when AGENT_SERVICE_ADDR is set) and the feedback
 * intake (when KAFKA_BROKERS is set), logging each choice; `onShutdown`
 * cancels executing runs (resumable), stops the intake, flushes the outbox
 * and closes everything.
 */
export function evalServiceOptions(
  config: EvalConfig,
): Required<Pick<RunServiceOptions, 'services' | 'onShutdown'>> {
  let opened: Opened = {};
  const close = async (): Promise<void> => {
    const current = opened;
    opened = {};
    await current.runs?.stopAll();
    await current.consumer
      ?.stop()
      .catch((error: unknown) =>
        current.logger?.warn({ err: error }, 'feedback intake stop failed'),
      );
    current.dedupe?.close();
    current.runners?.close();
    const flushed = await current.relay?.stop({ flushTimeoutMs: 5_000 });
    if (flushed) current.logger?.info(flushed, 'outbox relay stopped');
    await current.publisher?.close();
    current.outbox?.close();
    await current.store?.close();
  };
  return {
    services: async ({ logger, dataDir, metrics }) => {
      opened.logger = logger;
      try {
        const dir = evalDataDir(dataDir);
        const store = await openEvalStore(
          { databaseUrl: config.DATABASE_URL, dataDir: dir },
          logger,
        );
        opened.store = store;
        const outbox = SqliteOutbox.open({
          dataDir,
          fileName: EVAL_OUTBOX_FILE,
          logger,
        });
        opened.outbox = outbox;
        metrics.addOutbox('eval', outbox);
        const kafka = config.KAFKA_BROKERS.length > 0;
        if (kafka) {
          opened.publisher = new KafkaEventPublisher({
            brokers: config.KAFKA_BROKERS,
            clientId: 'eval-service',
            logger,
          });
          opened.relay = new OutboxRelay({
            outbox,
            publisher: opened.publisher,
            logger,
          });
          opened.relay.start();
        }
        if (config.AGENT_SERVICE_ADDR) {
          opened.runners = openGrpcRunnerFactory({
            agentAddress: config.AGENT_SERVICE_ADDR,
            crmAddress: config.CRM_SERVICE_ADDR,
            retrievalAddress: config.RETRIEVAL_SERVICE_ADDR,
            key: await resolvePrincipalKey(config),
            outbox,
            logger,
            chatDeadlineMs: config.EVAL_AGENT_DEADLINE,
          });
        }
        const common = {
          store,
          logger,
          now: () => new Date(),
          newId: (prefix: string) => `${prefix}_${randomUUID()}`,
        };
        if (kafka) {
          opened.dedupe = SqliteProcessedEventStore.open({
            dataDir: dir,
            fileName: 'processed-events.sqlite',
          });
          const consumer = createFeedbackConsumer({
            brokers: config.KAFKA_BROKERS,
            groupId: config.EVAL_FEEDBACK_GROUP,
            deps: common,
            dedupe: opened.dedupe,
            logger,
          });
          opened.consumer = consumer;
          // The broker may come later: the intake must not hold the service down.
          consumer.start().catch((error: unknown) => {
            logger.error({ err: error }, 'feedback intake could not start');
          });
        }
        logger.info(
          {
            store: selectEvalStoreKind({
              databaseUrl: config.DATABASE_URL,
              dataDir: dir,
            }),
            events: kafka ? 'outbox+kafka' : 'outbox',
            outbox: outbox.path,
            runner: config.AGENT_SERVICE_ADDR ? 'grpc' : 'none',
            feedbackIntake: kafka ? config.EVAL_FEEDBACK_GROUP : 'off',
            llmJudge: selectLlmProvider(config) ?? 'none',
          },
          'eval adapters selected',
        );
        const judge = createJudgeFromConfig(config, logger);
        const runs = new RunRegistry();
        opened.runs = runs;
        const runners = opened.runners;
        return [
          buildEvalService({
            ...common,
            runs,
            runnerFor: runners
              ? (model) => runners.runnerFor(model)
              : undefined,
            defaultConcurrency: config.EVAL_CONCURRENCY,
            judge,
          }),
        ];
      } catch (error) {
        await close();
        throw error;
      }
    },
    onShutdown: close,
  };
}
