import { sql, type Kysely } from 'kysely';
import type { ConversationDatabase } from './schema.js';

interface Migration {
  readonly name: string;
  up(db: Kysely<ConversationDatabase>): Promise<void>;
}

// bigint on PostgreSQL: epoch milliseconds outgrow int4.
const MIGRATIONS: readonly Migration[] = [
  {
    name: '001-conversations',
    async up(db) {
      await db.schema
        .createTable('conversations')
        .ifNotExists()
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('tenant', 'varchar(128)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(256)', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('message_count', 'integer', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('summarized_through', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('conversations_by_user')
        .ifNotExists()
        .on('conversations')
        .columns(['tenant', 'user_id', 'updated_at', 'id'])
        .execute();
      await db.schema
        .createTable('messages')
        .ifNotExists()
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('conversation_id', 'varchar(64)', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('metadata_json', 'text', (c) => c.notNull())
        .addUniqueConstraint('messages_seq', ['conversation_id', 'seq'])
        .execute();
      await db.schema
        .createTable('pending_actions')
        .ifNotExists()
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('conversation_id', 'varchar(64)', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('tenant', 'varchar(128)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(256)', (c) => c.notNull())
        .addColumn('tool', 'varchar(64)', (c) => c.notNull())
        .addColumn('arguments_json', 'text', (c) => c.notNull())
        .addColumn('arguments_sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('changes_json', 'text', (c) => c.notNull())
        .addColumn('target_json', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('result_json', 'text', (c) => c.notNull())
        .addColumn('error_code', 'varchar(64)', (c) => c.notNull())
        .execute();
    },
  },
];

/**
 * Applies missing migrations in order, each in a transaction that first
 * takes `lock` (an advisory lock on PostgreSQL, nothing on SQLite), so
 * replicas starting together migrate once. Returns the names applied.
 */
export async function migrate(
  db: Kysely<ConversationDatabase>,
  lock: (trx: Kysely<ConversationDatabase>) => Promise<void>,
): Promise<string[]> {
  await db.schema
    .createTable('agent_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  for (const migration of MIGRATIONS) {
    await db.transaction().execute(async (trx) => {
      await lock(trx);
      const done = await trx
        .selectFrom('agent_migrations')
        .select('name')
        .where('name', '=', migration.name)
        .executeTakeFirst();
      if (done) return;
      await migration.up(trx);
      await trx
        .insertInto('agent_migrations')
        .values({ name: migration.name, applied_at: Date.now() })
        .execute();
      applied.push(migration.name);
    });
  }
  return applied;
}

/** Drops a PostgreSQL schema and everything in it (tests clean up their own schema). */
export async function dropSchema(
  db: Kysely<ConversationDatabase>,
  schema: string,
): Promise<void> {
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
}
