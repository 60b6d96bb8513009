import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCrmStore } from '../../src/adapters/store/sqlite-crm-store.js';
import { silentLogger } from '../helpers/fixtures.js';
import { runCrmStoreContract } from './crm-store.contract.js';

runCrmStoreContract('SqliteCrmStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-store-'));
  const store = await SqliteCrmStore.open({
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

describe('SqliteCrmStore migrations', () => {
  it('are idempotent across re-opens of the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-migrate-'));
    try {
      const first = await SqliteCrmStore.open({
        dataDir: dir,
        logger: silentLogger,
      });
      await first.close();
      const second = await SqliteCrmStore.open({
        dataDir: dir,
        logger: silentLogger,
      });
      expect(await second.countRows('lumen')).toMatchObject({ accounts: 0 });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
