import type { Logger } from 'pino';
import type { ConversationStore } from './port.js';
import { PostgresConversationStore } from './postgres-conversation-store.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';

export type {
  ConversationPage,
  ConversationRecord,
  ConversationStore,
  PendingActionRecord,
  PendingActionStatus,
  StoredMessage,
} from './port.js';
export { KyselyConversationStore } from './kysely-conversation-store.js';
export { PostgresConversationStore } from './postgres-conversation-store.js';
export { SqliteConversationStore } from './sqlite-conversation-store.js';

/**
 * Opens the configured store: PostgreSQL when `databaseUrl` is set, else the
 * SQLite file under `dataDir`. Logs which one was chosen.
 */
export async function openConversationStore(options: {
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly logger: Logger;
}): Promise<ConversationStore> {
  const store =
    options.databaseUrl !== undefined && options.databaseUrl !== ''
      ? await PostgresConversationStore.open({
          connectionString: options.databaseUrl,
          logger: options.logger,
        })
      : await SqliteConversationStore.open({
          dataDir: options.dataDir,
          logger: options.logger,
        });
  options.logger.info(
    { component: 'conversation-store', adapter: store.kind },
    'conversation store adapter chosen',
  );
  return store;
}
