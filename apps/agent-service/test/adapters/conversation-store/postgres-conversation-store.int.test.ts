import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { PostgresConversationStore } from '../../../src/adapters/conversation-store/postgres-conversation-store.js';
import { silentLogger } from '../../helpers/harness.js';
import { runConversationStoreContract } from './conversation-store.contract.js';

const url =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// In CI the real server must be there: never skip. Locally, skip visibly.
const available = process.env['CI'] ? true : await reachable();

if (available) {
  runConversationStoreContract(
    'PostgresConversationStore (real PostgreSQL)',
    async () => {
      const schema = `agent_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      const store = await PostgresConversationStore.open({
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
    },
  );
} else {
  describe.skip(`PostgresConversationStore contract — SKIPPED: PostgreSQL unreachable at ${url}`, () => {
    it('needs a PostgreSQL server', () => undefined);
  });
}
