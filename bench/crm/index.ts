// Account 360 and a manager's hygiene alerts, over gRPC (the real crm
// service in-process on port 0) and as direct domain calls on the same store
// in the same run, on SQLite and on PostgreSQL (a temporary schema, dropped
// afterwards). Prints p50/p99 of each and the gRPC/direct ratio.
// Usage: npx tsx bench/crm/index.ts [--iterations N] [--hygiene N] [--skip-postgres]
//   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import {
  CrmServiceService,
  GetHygieneAlertsRequest,
} from '@fieldwise/contracts';
import { SqliteOutbox } from '@fieldwise/events';
import { startServiceForTest } from '@fieldwise/grpc/testing';
import { PostgresCrmStore } from '../../apps/crm-service/src/adapters/store/postgres-crm-store.js';
import type { CrmStore } from '../../apps/crm-service/src/adapters/store/port.js';
import { SqliteCrmStore } from '../../apps/crm-service/src/adapters/store/sqlite-crm-store.js';
import { loadCrmConfig } from '../../apps/crm-service/src/config.js';
import {
  DEFAULT_REFERENCE_DATE,
  DEFAULT_SEED,
  account360,
  generateGoldDataset,
  hygieneAlerts,
  parseDomainVocabulary,
  type CallerScope,
  type CrmDeps,
} from '../../apps/crm-service/src/domain/index.js';
import {
  buildCrmServices,
  referenceClock,
} from '../../apps/crm-service/src/server.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '400' },
    hygiene: { type: 'string', default: '40' },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const ITERATIONS = Number(values.iterations);
const HYGIENE_ITERATIONS = Number(values.hygiene);
const DATABASE_URL =
  process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const root = resolve(import.meta.dirname, '../..');
const logger = pino({ level: 'silent' });
const vocabulary = parseDomainVocabulary(
  JSON.parse(readFileSync(join(root, 'data/domain.json'), 'utf8')),
);

const seller: CallerScope = {
  tenant: 'lumen',
  userId: 'usr-lumen-seller-01',
  roles: ['seller'],
  territories: ['amer-east'],
};
const manager: CallerScope = {
  tenant: 'lumen',
  userId: 'usr-lumen-manager-02',
  roles: ['manager'],
  territories: ['amer-central', 'amer-canada'],
};

const started = performance.now();
const data = generateGoldDataset(vocabulary, {
  seed: DEFAULT_SEED,
  referenceDate: DEFAULT_REFERENCE_DATE,
});
// The accounts seller 01 sees, cycled through so no single row stays hot.
const accountIds = data.accounts
  .filter((a) => a.tenantId === 'lumen' && a.territoryId === 'amer-east')
  .map((a) => a.id)
  .slice(0, 100);
console.log(
  `GOLD dataset: ${data.accounts.length} accounts, ${data.consumption.length} consumption rows (generated in ${Math.round(performance.now() - started)} ms)`,
);

interface Stats {
  readonly p50: number;
  readonly p99: number;
}

async function measure(
  iterations: number,
  run: (i: number) => Promise<unknown>,
): Promise<Stats> {
  for (let i = 0; i < Math.min(20, iterations); i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

interface Row {
  readonly adapter: string;
  readonly operation: string;
  readonly direct: Stats;
  readonly grpc: Stats;
}

async function benchAdapter(adapter: string, store: CrmStore): Promise<Row[]> {
  const dataDir = mkdtempSync(
    join(tmpdir(), `fieldwise-bench-crm-${adapter}-`),
  );
  const outbox = SqliteOutbox.open({
    dataDir,
    fileName: 'crm-outbox.sqlite',
    logger,
  });
  const clock = referenceClock(DEFAULT_REFERENCE_DATE);
  const deps: CrmDeps = { store, logger, vocabulary, clock };
  const service = await startServiceForTest({
    name: 'crm',
    config: loadCrmConfig({
      FIELDWISE_DATA_DIR: dataDir,
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
    }),
    services: ({ logger: serviceLogger }) =>
      Promise.resolve(
        buildCrmServices({
          store,
          outbox,
          vocabulary,
          clock,
          logger: serviceLogger,
        }),
      ),
  });
  try {
    const client = service.client(CrmServiceService);
    const sign = async (scope: CallerScope, role: 'seller' | 'manager') => ({
      principalToken: await service.sign({
        tenant: scope.tenant,
        userId: scope.userId,
        roles: [role],
        territories: [...scope.territories],
      }),
      deadlineMs: 30_000,
    });
    const sellerCall = await sign(seller, 'seller');
    const managerCall = await sign(manager, 'manager');
    const account = (i: number) => accountIds[i % accountIds.length] ?? '';
    const hygieneRequest = GetHygieneAlertsRequest.fromPartial({
      horizonDays: 90,
      limit: 20,
    });
    return [
      {
        adapter,
        operation: 'account 360',
        direct: await measure(ITERATIONS, (i) =>
          account360(deps, seller, { accountId: account(i) }),
        ),
        grpc: await measure(ITERATIONS, (i) =>
          client.getAccount360({ accountId: account(i) }, sellerCall),
        ),
      },
      {
        adapter,
        operation: 'hygiene (manager)',
        direct: await measure(HYGIENE_ITERATIONS, () =>
          hygieneAlerts(deps, manager, { horizonDays: 90, limit: 20 }),
        ),
        grpc: await measure(HYGIENE_ITERATIONS, () =>
          client.getHygieneAlerts(hygieneRequest, managerCall),
        ),
      },
    ];
  } finally {
    await service.stop();
    outbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];

const sqliteDir = mkdtempSync(join(tmpdir(), 'fieldwise-bench-crm-store-'));
try {
  const store = await SqliteCrmStore.open({ dataDir: sqliteDir, logger });
  const t0 = performance.now();
  await store.insertDataset(data);
  console.log(`sqlite: seeded in ${Math.round(performance.now() - t0)} ms`);
  try {
    rows.push(...(await benchAdapter('sqlite', store)));
  } finally {
    await store.close();
  }
} finally {
  rmSync(sqliteDir, { recursive: true, force: true });
}

if (!values['skip-postgres']) {
  const schema = `bench_crm_${process.pid}_${Date.now().toString(36)}`;
  let store: PostgresCrmStore | undefined;
  try {
    store = await PostgresCrmStore.open({
      connectionString: DATABASE_URL,
      schema,
      logger,
    });
    const t0 = performance.now();
    await store.insertDataset(data);
    console.log(
      `postgres: seeded schema ${schema} in ${Math.round(performance.now() - t0)} ms`,
    );
    rows.push(...(await benchAdapter('postgres', store)));
  } catch (error) {
    console.log(
      `postgres: skipped (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    await store?.dropSchema(schema);
    await store?.close();
  }
}

const ms = (n: number) => n.toFixed(2).padStart(8);
console.log('');
console.log(
  'adapter   operation           direct p50      p99 |  gRPC p50      p99 | ratio p50    p99',
);
for (const r of rows) {
  console.log(
    `${r.adapter.padEnd(9)} ${r.operation.padEnd(19)} ${ms(r.direct.p50)} ${ms(r.direct.p99)} | ${ms(r.grpc.p50)} ${ms(r.grpc.p99)} | ${(r.grpc.p50 / r.direct.p50).toFixed(2).padStart(8)}x ${(r.grpc.p99 / r.direct.p99).toFixed(2).padStart(5)}x`,
  );
}
const summary = rows
  .map(
    (r) =>
      `${r.adapter} ${r.operation} gRPC p50 ${r.grpc.p50.toFixed(2)} ms (${(r.grpc.p50 / r.direct.p50).toFixed(2)}x direct)`,
  )
  .join('; ');
const sqlite360 = rows.find(
  (r) => r.adapter === 'sqlite' && r.operation === 'account 360',
);
console.log(
  `summary (ms): ${summary}; aim account 360 p50 < 5 ms on SQLite: ${sqlite360 && sqlite360.grpc.p50 < 5 ? 'met' : 'missed'}; total ${Math.round((performance.now() - started) / 1000)} s`,
);
