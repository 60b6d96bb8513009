import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { SqliteCrmStore } from '../../src/adapters/store/sqlite-crm-store.js';
import {
  DEFAULT_REFERENCE_DATE,
  DEFAULT_SEED,
  generateGoldDataset,
} from '../../src/domain/generator/generate.js';
import type { CrmDeps } from '../../src/domain/functions/deps.js';
import type { GoldDataset } from '../../src/domain/model.js';
import {
  parseDomainVocabulary,
  type DomainVocabulary,
} from '../../src/domain/vocabulary.js';

/** A logger that never prints (the console guard fails printing tests). */
export const silentLogger = pino({ level: 'silent' });

/** The repository's business vocabulary. */
export const vocabulary: DomainVocabulary = parseDomainVocabulary(
  JSON.parse(
    readFileSync(
      join(import.meta.dirname, '..', '..', '..', '..', 'data', 'domain.json'),
      'utf8',
    ),
  ),
);

/** The dataset's "today" as a clock. */
export const fixedClock = (): Date =>
  new Date(`${DEFAULT_REFERENCE_DATE}T12:00:00.000Z`);

let full: GoldDataset | undefined;

/** The full default dataset (generated once per test file). */
export function fullDataset(): GoldDataset {
  full ??= generateGoldDataset(vocabulary, {
    seed: DEFAULT_SEED,
    referenceDate: DEFAULT_REFERENCE_DATE,
  });
  return full;
}

/** A small dataset: the 20 anchors plus a few more accounts, both tenants. */
export function smallDataset(): GoldDataset {
  return generateGoldDataset(vocabulary, {
    seed: DEFAULT_SEED,
    referenceDate: DEFAULT_REFERENCE_DATE,
    mainAccounts: 40,
    secondAccounts: 10,
  });
}

/** An in-memory SQLite store holding `data`. */
export async function seededSqlite(data: GoldDataset): Promise<SqliteCrmStore> {
  const store = await SqliteCrmStore.open({
    file: ':memory:',
    logger: silentLogger,
  });
  await store.insertDataset(data);
  return store;
}

/** Domain deps over a store, with the fixed clock and sequential ids. */
export function depsFor(store: CrmDeps['store']): CrmDeps {
  let n = 0;
  return {
    store,
    logger: silentLogger,
    vocabulary,
    clock: fixedClock,
    newId: () => `test-${++n}`,
  };
}

/** Principal-shaped scopes for seeded users. */
export const callers = {
  seller01: {
    tenant: 'lumen',
    userId: 'usr-lumen-seller-01',
    roles: ['seller'],
    territories: ['amer-east'],
  },
  seller06: {
    tenant: 'lumen',
    userId: 'usr-lumen-seller-06',
    roles: ['seller'],
    territories: ['amer-central'],
  },
  manager01: {
    tenant: 'lumen',
    userId: 'usr-lumen-manager-01',
    roles: ['manager'],
    territories: ['amer-east'],
  },
  manager02: {
    tenant: 'lumen',
    userId: 'usr-lumen-manager-02',
    roles: ['manager'],
    territories: ['amer-central', 'amer-canada'],
  },
  admin: {
    tenant: 'lumen',
    userId: 'usr-lumen-admin-01',
    roles: ['admin'],
    territories: [],
  },
  auditor: {
    tenant: 'lumen',
    userId: 'usr-lumen-auditor-01',
    roles: ['auditor'],
    territories: [],
  },
  content: {
    tenant: 'lumen',
    userId: 'usr-lumen-content-01',
    roles: ['content-manager'],
    territories: [],
  },
  northSeller: {
    tenant: 'northstar',
    userId: 'usr-northstar-seller-01',
    roles: ['seller'],
    territories: ['amer-east'],
  },
  northAdmin: {
    tenant: 'northstar',
    userId: 'usr-northstar-admin-01',
    roles: ['admin'],
    territories: [],
  },
} as const;
