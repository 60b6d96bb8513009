import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresEvalStore } from '../../src/adapters/store/postgres-eval-store.js';
import { silentLogger } from '../helpers/fixtures.js';
import { runEvalStoreContract } from './eval-store.contract.js';

const url =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// In CI the real server must be there: never skip. Locally, skip visibly.
const available = process.env['CI'] ? true : await reachable();

function uniqueSchema(): string {
  return `eval_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

if (available) {
  runEvalStoreContract('PostgresEvalStore (real PostgreSQL)', async () => {
    const schema = uniqueSchema();
    const store = await PostgresEvalStore.open({
      connectionString: url,
      schema,
      logger: silentLogger,
    });
    return {
      store,
      dispose: async () => {
        await store.dropSchema(schema);
        await store.close();
      },
    };
  });

  describe('PostgresEvalStore', () => {
    it('serializes concurrent openers of a new schema and drops it afterwards', async () => {
      const schema = uniqueSchema();
      const stores = await Promise.all(
        [1, 2, 3].map(() =>
          PostgresEvalStore.open({
            connectionString: url,
            schema,
            logger: silentLogger,
          }),
        ),
      );
      try {
        expect(await stores[0]?.listDatasets('lumen')).toEqual([]);
      } finally {
        await stores[0]?.dropSchema(schema);
        await Promise.all(stores.map((s) => s.close()));
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const left = await client.query(
          'select 1 from information_schema.schemata where schema_name = $1',
          [schema],
        );
        expect(left.rowCount).toBe(0);
      } finally {
        await client.end();
      }
    });

    it('reports an unreachable server as DEPENDENCY_UNAVAILABLE', async () => {
      await expect(
        PostgresEvalStore.open({
          connectionString: 'postgres://postgres@127.0.0.1:1/test',
          logger: silentLogger,
        }),
      ).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    });
  });
} else {
  describe.skip(`PostgresEvalStore contract — SKIPPED: PostgreSQL unreachable at ${url}`, () => {
    it('needs a PostgreSQL server', () => undefined);
  });
}
