import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { PostgresApiKeyStore } from '../../src/api-keys/postgres-store.js';
import { runApiKeyStoreContract } from './api-key-store.contract.js';

// The build machine's PostgreSQL (trust auth); every store gets its own schema.
const URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomBytes(4).toString('hex');
const schemas: string[] = [];

afterAll(async () => {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  try {
    for (const schema of schemas) {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  } finally {
    await client.end();
  }
});

runApiKeyStoreContract('PostgresApiKeyStore', () => {
  const schema = `gw_api_keys_${run}_${schemas.length}`;
  schemas.push(schema);
  return PostgresApiKeyStore.open({ connectionString: URL, schema });
});
