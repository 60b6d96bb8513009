import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { KyselyCrmStore } from './kysely-crm-store.js';
import { migrate } from './migrations.js';
import type { CrmDatabase } from './schema.js';

/** How to reach PostgreSQL. */
export interface PostgresCrmStoreOptions {
  readonly connectionString: string;
  /** A schema to create (if missing) and use via `search_path`; default `public`. */
  readonly schema?: string;
  readonly maxConnections?: number;
  readonly logger: Logger;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Counts and sums come back as int8/numeric; the values this store keeps fit
// a double exactly, so parse them as numbers like SQLite does.
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number) => {
    if (oid === INT8_OID || oid === NUMERIC_OID) {
      return (value: string) => Number(value);
    }
    // node-postgres only requests text-format results from this store.
    return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Migration lock key: any constant shared by all crm-service replicas. */
const MIGRATION_LOCK = 0x63726d; // "crm"

/**
 * The production store on PostgreSQL, through the same Kysely queries as the
 * SQLite store. Migrations run at open under an advisory lock, so several
 * replicas may start at once.
 */
export class PostgresCrmStore extends KyselyCrmStore {
  private constructor(db: Kysely<CrmDatabase>) {
    super('postgres', db, {
      isUniqueViolation: (error) =>
        error instanceof Error && 'code' in error && error.code === '23505',
    });
  }

  /** Connects, creates the schema if asked, and migrates. */
  static async open(
    options: PostgresCrmStoreOptions,
  ): Promise<PostgresCrmStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new TypeError(`Invalid PostgreSQL schema name '${schema}'`);
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
      types: typeParsers,
    });
    const db = new Kysely<CrmDatabase>({
      dialect: new PostgresDialect({ pool }),
    });
    try {
      const lock = async (trx: Kysely<CrmDatabase>): Promise<void> => {
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      };
      if (schema !== 'public') {
        // Concurrent "create schema if not exists" can still collide; serialize it.
        await db.transaction().execute(async (trx) => {
          await lock(trx);
          await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
        });
      }
      const applied = await migrate(db, lock);
      options.logger.info({ schema, applied }, 'postgres crm store ready');
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new PostgresCrmStore(db);
  }

  /** Drops a schema and everything in it (test teardown). */
  async dropSchema(schema: string): Promise<void> {
    if (!SCHEMA_NAME.test(schema) || schema === 'public') {
      throw new TypeError(`Refusing to drop schema '${schema}'`);
    }
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(this.db);
  }
}
