import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteApiKeyStore } from '../../src/api-keys/sqlite-store.js';
import { runApiKeyStoreContract } from './api-key-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'fieldwise-api-keys-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runApiKeyStoreContract('SqliteApiKeyStore', () =>
  Promise.resolve(new SqliteApiKeyStore(join(dir, `keys-${n++}.sqlite`))),
);
