import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Logger } from 'pino';
import { KyselyConversationStore } from './kysely-conversation-store.js';
import { migrate } from './migrations.js';
import type { ConversationDatabase } from './schema.js';

/** Where the embedded store keeps its file. */
export interface SqliteConversationStoreOptions {
  /** Directory (created if missing) that holds `conversations.sqlite`; or use `file`. */
  readonly dataDir?: string;
  /** An explicit file, or `:memory:`. */
  readonly file?: string;
  readonly logger: Logger;
}

/** The embedded default: one SQLite file under the data dir, migrated on open. */
export class SqliteConversationStore extends KyselyConversationStore {
  private constructor(db: Kysely<ConversationDatabase>) {
    super('sqlite', db);
  }

  /** Opens (creating and migrating as needed) the store. */
  static async open(
    options: SqliteConversationStoreOptions,
  ): Promise<SqliteConversationStore> {
    let file = options.file;
    if (file === undefined) {
      if (options.dataDir === undefined)
        throw new TypeError(
          'SqliteConversationStore needs a dataDir or a file',
        );
      mkdirSync(options.dataDir, { recursive: true });
      file = join(options.dataDir, 'conversations.sqlite');
    }
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Kysely prepares every query anew; the store runs a handful of fixed
    // statements, so reusing their prepared forms saves most of their cost.
    const statements = new Map<string, Database.Statement>();
    const database = {
      close: () => sqlite.close(),
      prepare: (sql: string) => {
        let statement = statements.get(sql);
        if (statement === undefined) {
          statement = sqlite.prepare(sql);
          statements.set(sql, statement);
        }
        return statement;
      },
    };
    const db = new Kysely<ConversationDatabase>({
      dialect: new SqliteDialect({ database }),
    });
    const applied = await migrate(db, async () => {});
    options.logger.info({ file, applied }, 'sqlite conversation store ready');
    return new SqliteConversationStore(db);
  }
}
