import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectEvalStoreKind } from '../../src/adapters/store/index.js';
import { SqliteEvalStore } from '../../src/adapters/store/sqlite-eval-store.js';
import { silentLogger } from '../helpers/fixtures.js';
import { runEvalStoreContract } from './eval-store.contract.js';

runEvalStoreContract('SqliteEvalStore (file under a data dir)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eval-store-'));
  const store = await SqliteEvalStore.open({
    dataDir: dir,
    logger: silentLogger,
  });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEvalStore', () => {
  it('keeps data in eval.sqlite across reopen (migrations idempotent)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-store-'));
    try {
      const first = await SqliteEvalStore.open({
        dataDir: dir,
        logger: silentLogger,
      });
      await first.createDataset({
        id: 'ds',
        tenant: 'lumen',
        name: 'n',
        description: '',
        createdBy: 'u',
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      await first.close();
      expect(existsSync(join(dir, 'eval.sqlite'))).toBe(true);
      const second = await SqliteEvalStore.open({
        dataDir: dir,
        logger: silentLogger,
      });
      expect((await second.getDataset('ds'))?.name).toBe('n');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('selects the adapter from DATABASE_URL and rejects other URLs', () => {
    expect(selectEvalStoreKind({ dataDir: '/x' })).toBe('sqlite');
    expect(
      selectEvalStoreKind({ dataDir: '/x', databaseUrl: 'postgres://h/db' }),
    ).toBe('postgres');
    expect(() =>
      selectEvalStoreKind({ dataDir: '/x', databaseUrl: 'mysql://h/db' }),
    ).toThrow(/DATABASE_URL/);
  });
});
