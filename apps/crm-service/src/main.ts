import {
  KafkaEventPublisher,
  OutboxRelay,
  SqliteOutbox,
} from '@fieldwise/events';
import { openWithRetry, runGrpcService } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import { openCrmStore, type CrmStore } from './adapters/store/index.js';
import { DEFAULT_DOMAIN_FILE, loadVocabulary } from './cli/args.js';
import { loadCrmConfig } from './config.js';
import { buildCrmServices, referenceClock, seedGoldIfEmpty } from './server.js';

// Wiring only: configuration, adapters, handlers, the shared service runtime.
const config = loadCrmConfig();
const referenceDate =
  config.CRM_REFERENCE_DATE === 'today'
    ? new Date().toISOString().slice(0, 10)
    : config.CRM_REFERENCE_DATE;

let store: CrmStore | undefined;
let outbox: SqliteOutbox | undefined;
let relay: OutboxRelay | undefined;
let publisher: KafkaEventPublisher | undefined;
let log: Logger | undefined;

await runGrpcService({
  name: 'crm',
  config,
  services: async ({ logger, dataDir, metrics, addReadinessCheck }) => {
    log = logger;
    const vocabulary = loadVocabulary(DEFAULT_DOMAIN_FILE);
    // Not ready without the database: any cheap read must succeed.
    let openError = new Error('not connected yet');
    addReadinessCheck('database', () =>
      store ? store.getTenant('readiness-probe') : Promise.reject(openError),
    );
    store = await openWithRetry(
      () => openCrmStore({ databaseUrl: config.DATABASE_URL, dataDir }, logger),
      {
        what: 'crm store',
        logger,
        onError: (error) => {
          openError = error instanceof Error ? error : new Error(String(error));
        },
      },
    );
    if (config.CRM_SEED) {
      await seedGoldIfEmpty(store, vocabulary, { referenceDate }, logger);
    }
    // Its own file: other services may share the data dir, and each outbox has one relay.
    outbox = SqliteOutbox.open({
      dataDir,
      fileName: 'crm-outbox.sqlite',
      logger,
    });
    metrics.addOutbox('crm', outbox);
    if (config.KAFKA_BROKERS.length > 0) {
      publisher = new KafkaEventPublisher({
        brokers: config.KAFKA_BROKERS,
        clientId: 'crm-service',
        logger,
      });
      relay = new OutboxRelay({ outbox, publisher, logger });
      relay.start();
    }
    logger.info(
      {
        store: store.kind,
        events: relay ? 'outbox+kafka' : 'outbox',
        outbox: outbox.path,
        referenceDate,
      },
      'crm adapters selected',
    );
    return buildCrmServices({
      store,
      outbox,
      vocabulary,
      clock: referenceClock(config.CRM_REFERENCE_DATE),
      logger,
    });
  },
  onShutdown: async () => {
    const flushed = await relay?.stop({ flushTimeoutMs: 5_000 });
    if (flushed) log?.info(flushed, 'outbox relay stopped');
    await publisher?.close();
    outbox?.close();
    await store?.close();
  },
});
