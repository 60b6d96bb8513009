import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { KyselyConversationStore } from './kysely-conversation-store.js';
import { dropSchema, migrate } from './migrations.js';
import type { ConversationDatabase } from './schema.js';

/** How to reach PostgreSQL. */
export interface PostgresConversationStoreOptions {
  readonly connectionString: string;
  /** Schema to create if missing and use through `search_path`; default `public`. */
  readonly schema?: string;
  readonly maxConnections?: number;
  readonly logger: Logger;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Advisory lock key shared by every agent replica ("agt"). */
const MIGRATION_LOCK = 0x616774;
const INT8_OID = 20;

// Epoch milliseconds come back as int8 text; they fit a double exactly.
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number) => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    // Only text-format results are requested from this store.
    return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** The production store on PostgreSQL, through the same Kysely queries as SQLite. */
export class PostgresConversationStore extends KyselyConversationStore {
  private constructor(db: Kysely<ConversationDatabase>) {
    super('postgres', db);
  }

  /** Connects, creates the schema if asked, and migrates under an advisory lock. */
  static async open(
    options: PostgresConversationStoreOptions,
  ): Promise<PostgresConversationStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema))
      throw new TypeError(`Invalid PostgreSQL schema name '${schema}'`);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
      types: typeParsers,
    });
    const db = new Kysely<ConversationDatabase>({
      dialect: new PostgresDialect({ pool }),
    });
    const lock = async (trx: Kysely<ConversationDatabase>): Promise<void> => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    };
    try {
      if (schema !== 'public') {
        await db.transaction().execute(async (trx) => {
          await lock(trx);
          await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
        });
      }
      const applied = await migrate(db, lock);
      options.logger.info(
        { schema, applied },
        'postgres conversation store ready',
      );
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new PostgresConversationStore(db);
  }

  /** Drops `schema` with everything in it (tests remove their own schema). */
  async dropSchema(schema: string): Promise<void> {
    await dropSchema(this.db, schema);
  }
}
