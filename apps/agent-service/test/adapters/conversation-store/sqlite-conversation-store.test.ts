import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteConversationStore } from '../../../src/adapters/conversation-store/sqlite-conversation-store.js';
import { silentLogger } from '../../helpers/harness.js';
import { runConversationStoreContract } from './conversation-store.contract.js';

runConversationStoreContract(
  'SqliteConversationStore (file under a data dir)',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-store-'));
    const store = await SqliteConversationStore.open({
      dataDir,
      logger: silentLogger,
    });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
);
