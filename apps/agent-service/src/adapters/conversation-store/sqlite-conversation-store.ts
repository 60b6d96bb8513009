import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FieldwiseError } from '@fieldwise/errors';
import { Kysely, SqliteDialect } from 'kysely';
import type { Logger } from 'pino';
import { KyselyConversationStore } from './kysely-conversation-store.js';
import { migrate } from './migrations.js';
import type { ConversationRecord, StoredMessage } from './port.js';
import type { ConversationDatabase } from './schema.js';

/** Where the embedded store keeps its file. */
export interface SqliteConversationStoreOptions {
  /** Directory (created if missing) that holds `conversations.sqlite`; or use `file`. */
  readonly dataDir?: string;
  /** An explicit file, or `:memory:`. */
  readonly file?: string;
  readonly logger: Logger;
}

function prepareHotStatements(sqlite: Database.Database) {
  return {
    insertConversation: sqlite.prepare(
      `INSERT INTO conversations (id, tenant, user_id, title, created_at, updated_at, message_count, summary, summarized_through)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    messageCount: sqlite
      .prepare(`SELECT message_count FROM conversations WHERE id = ?`)
      .pluck(),
    insertMessage: sqlite.prepare(
      `INSERT INTO messages (id, conversation_id, seq, role, content, created_at, metadata_json)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    touchConversation: sqlite.prepare(
      `UPDATE conversations SET message_count = ?, updated_at = ? WHERE id = ?`,
    ),
  };
}

/**
 * The embedded default: one SQLite file under the data dir, migrated on open.
 *
 * The two writes every turn makes (a new conversation, the turn's messages)
 * run as prepared statements straight on better-sqlite3, the append in one
 * synchronous transaction; the rest goes through the shared Kysely queries.
 * No Kysely transaction is left on this connection, so a synchronous
 * transaction can never interleave with one spread over awaits.
 */
export class SqliteConversationStore extends KyselyConversationStore {
  private readonly hot: ReturnType<typeof prepareHotStatements>;
  private readonly appendTransaction: (
    conversationId: string,
    messages: readonly Omit<StoredMessage, 'seq' | 'conversationId'>[],
    at: Date,
  ) => StoredMessage[];

  private constructor(
    db: Kysely<ConversationDatabase>,
    sqlite: Database.Database,
  ) {
    super('sqlite', db);
    const hot = prepareHotStatements(sqlite);
    this.hot = hot;
    this.appendTransaction = sqlite.transaction(
      (
        conversationId: string,
        messages: readonly Omit<StoredMessage, 'seq' | 'conversationId'>[],
        at: Date,
      ): StoredMessage[] => {
        const count = hot.messageCount.get(conversationId) as
          number | undefined;
        if (count === undefined)
          throw new FieldwiseError(
            'NOT_FOUND',
            `conversation '${conversationId}' was not found`,
          );
        let seq = Number(count);
        const stored = messages.map((m): StoredMessage => ({
          ...m,
          conversationId,
          seq: ++seq,
        }));
        for (const m of stored) {
          hot.insertMessage.run(
            m.id,
            conversationId,
            m.seq,
            m.role,
            m.content,
            m.createdAt.getTime(),
            JSON.stringify(m.metadata),
          );
        }
        hot.touchConversation.run(seq, at.getTime(), conversationId);
        return stored;
      },
    );
  }

  // Synchronous work inside a promise executor: a throw becomes a rejection.
  override createConversation(record: ConversationRecord): Promise<void> {
    return new Promise((resolve) => {
      this.hot.insertConversation.run(
        record.id,
        record.tenant,
        record.userId,
        record.title,
        record.createdAt.getTime(),
        record.updatedAt.getTime(),
        record.messageCount,
        record.summary,
        record.summarizedThrough,
      );
      resolve();
    });
  }

  override appendMessages(
    conversationId: string,
    messages: readonly Omit<StoredMessage, 'seq' | 'conversationId'>[],
    at: Date,
  ): Promise<readonly StoredMessage[]> {
    return new Promise((resolve) => {
      resolve(this.appendTransaction(conversationId, messages, at));
    });
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
    return new SqliteConversationStore(db, sqlite);
  }
}
