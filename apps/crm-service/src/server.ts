import { CrmServiceService } from '@fieldwise/contracts';
import type { Outbox } from '@fieldwise/events';
import { implementService, type ServiceRegistration } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import type { CrmStore } from './adapters/store/index.js';
import {
  datasetDigest,
  generateGoldDataset,
  DEFAULT_SEED,
  type CrmDeps,
  type DomainVocabulary,
} from './domain/index.js';
import { accountHandlers } from './handlers/accounts.js';
import { AuditRecorder } from './handlers/audit-recorder.js';
import { directoryHandlers } from './handlers/directory.js';
import type { CrmHandlerDeps } from './handlers/handler-deps.js';
import { hygieneHandlers } from './handlers/hygiene.js';
import { insightHandlers } from './handlers/insights.js';
import { writeHandlers } from './handlers/writes.js';

/** What the crm gRPC service is built from. */
export interface CrmServiceDeps {
  readonly store: CrmStore;
  /** Where audit events go (a relay may move them on to Kafka). */
  readonly outbox: Outbox;
  readonly vocabulary: DomainVocabulary;
  /** "Now" for the domain; see {@link referenceClock}. */
  readonly clock: () => Date;
  readonly logger: Logger;
  /** New record ids; random UUIDs by default. */
  readonly newId?: () => string;
}

/**
 * The crm service's registrations (`fieldwise.crm.v1.CrmService`), ready
 * for `runGrpcService`. Builds nothing that listens or opens files.
 */
export function buildCrmServices(deps: CrmServiceDeps): ServiceRegistration[] {
  const crm: CrmDeps = {
    store: deps.store,
    logger: deps.logger,
    vocabulary: deps.vocabulary,
    clock: deps.clock,
    ...(deps.newId ? { newId: deps.newId } : {}),
  };
  const handlerDeps: CrmHandlerDeps = {
    crm,
    audit: new AuditRecorder(deps.outbox),
  };
  return [
    implementService(CrmServiceService, {
      ...accountHandlers(handlerDeps),
      ...insightHandlers(handlerDeps),
      ...hygieneHandlers(handlerDeps),
      ...writeHandlers(handlerDeps),
      ...directoryHandlers(handlerDeps),
    }),
  ];
}

/**
 * The domain clock for a reference date (`CRM_REFERENCE_DATE`): that date
 * with the wall-clock time of day, so "today" stays the dataset's today
 * while writes keep distinct, ordered timestamps within a day. `today`
 * gives the real clock.
 */
export function referenceClock(
  referenceDate: string,
  now: () => number = Date.now,
): () => Date {
  if (referenceDate === 'today') return () => new Date(now());
  const midnight = Date.parse(`${referenceDate}T00:00:00.000Z`);
  return () => new Date(midnight + (now() % 86_400_000));
}

/** Options of {@link seedGoldIfEmpty}. */
export interface SeedOptions {
  readonly referenceDate: string;
  readonly seed?: string;
}

/**
 * Inserts the deterministic GOLD dataset when the store holds none of the
 * vocabulary's tenants (a first embedded start); leaves any other store
 * alone. Returns whether it seeded.
 */
export async function seedGoldIfEmpty(
  store: CrmStore,
  vocabulary: DomainVocabulary,
  options: SeedOptions,
  logger: Logger,
): Promise<boolean> {
  const present = await Promise.all(
    vocabulary.tenants.map((t) => store.getTenant(t.id)),
  );
  if (present.some((t) => t !== undefined)) {
    logger.info('crm store already holds data; not seeding');
    return false;
  }
  const data = generateGoldDataset(vocabulary, {
    seed: options.seed ?? DEFAULT_SEED,
    referenceDate: options.referenceDate,
  });
  await store.insertDataset(data);
  logger.info(
    { accounts: data.accounts.length, digest: datasetDigest(data) },
    'seeded the GOLD dataset',
  );
  return true;
}
