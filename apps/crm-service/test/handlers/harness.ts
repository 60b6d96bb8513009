import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrmServiceService } from '@fieldwise/contracts';
import { readOutbox, SqliteOutbox } from '@fieldwise/events';
import { GrpcCallError, type GrpcServiceClient } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import { SqliteCrmStore } from '../../src/adapters/store/sqlite-crm-store.js';
import { loadCrmConfig } from '../../src/config.js';
import { DEFAULT_REFERENCE_DATE } from '../../src/domain/index.js';
import type { GoldDataset } from '../../src/domain/model.js';
import { buildCrmServices, referenceClock } from '../../src/server.js';
import { silentLogger, vocabulary, type callers } from '../helpers/fixtures.js';

/** A caller as the tests sign it (see `callers` in the fixtures). */
export type Caller = (typeof callers)[keyof typeof callers];

/** The crm service on a free port over a seeded SQLite file in a temp dir. */
export interface CrmUnderTest {
  readonly service: ServiceUnderTest;
  readonly client: GrpcServiceClient<typeof CrmServiceService>;
  readonly store: SqliteCrmStore;
  readonly dataDir: string;
  /** Call options for a caller (a freshly signed principal token). */
  as(caller: Caller): Promise<{ principalToken: string }>;
  /** Every event appended to the crm outbox so far, parsed. */
  auditEvents(): Array<{ type: string; data: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/**
 * Starts the crm service exactly as main.ts wires it (store, outbox,
 * handlers, runGrpcService), with `data` seeded into a file store.
 */
export async function startCrm(data: GoldDataset): Promise<CrmUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-crm-handlers-'));
  const config = loadCrmConfig({
    FIELDWISE_DATA_DIR: dataDir,
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const store = await SqliteCrmStore.open({ dataDir, logger: silentLogger });
  await store.insertDataset(data);
  const outbox = SqliteOutbox.open({
    dataDir,
    fileName: 'crm-outbox.sqlite',
    logger: silentLogger,
  });
  const service = await startServiceForTest({
    name: 'crm',
    config,
    services: ({ logger }) =>
      Promise.resolve(
        buildCrmServices({
          store,
          outbox,
          vocabulary,
          clock: referenceClock(DEFAULT_REFERENCE_DATE),
          logger,
        }),
      ),
    onShutdown: async () => {
      outbox.close();
      await store.close();
    },
  });
  const client = service.client(CrmServiceService);
  return {
    service,
    client,
    store,
    dataDir,
    as: async (caller) => ({
      principalToken: await service.sign({
        tenant: caller.tenant,
        userId: caller.userId,
        roles: [...caller.roles],
        territories: [...caller.territories],
      }),
    }),
    auditEvents: () =>
      [...readOutbox(outbox.path)].map(
        (e) => e.event as { type: string; data: Record<string, unknown> },
      ),
    stop: async () => {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How a call ended, as the client decoded it. */
export interface Outcome {
  readonly code: string;
  /** The gRPC status on the wire. */
  readonly status: number;
  readonly message: string;
  readonly context: Readonly<Record<string, string | number | boolean>>;
  /** Fields named by BadRequest violations. */
  readonly violations: readonly string[];
}

/** The error code and gRPC status a call failed with, or `OK`. */
export async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return { code: 'OK', status: 0, message: '', context: {}, violations: [] };
  } catch (error) {
    if (!(error instanceof GrpcCallError)) throw error;
    return {
      code: error.code,
      status: error.grpcStatus,
      message: error.message,
      context: error.context,
      violations: error.violations.map((v) => v.field),
    };
  }
}
