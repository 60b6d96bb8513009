import { DependencyUnavailableError } from '@fieldwise/errors';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { KyselyEvalStore } from './kysely-eval-store.js';
import { migrate } from './migrations.js';
import type { EvalDatabase } from './schema.js';

/** How to reach PostgreSQL. */
export interface PostgresEvalStoreOptions {
  readonly connectionString: string;
  /** A schema to create (if missing) and use via `search_path`; default `public`. */
  readonly schema?: string;
  readonly maxConnections?: number;
  readonly logger: Logger;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Migration lock key shared by all eval-service replicas ("eval"). */
const MIGRATION_LOCK = 0x6576616c;

/**
 * The production store on PostgreSQL, through the same Kysely queries as
 * the SQLite store. Migrations run at open under an advisory lock, so
 * several replicas may start at once.
 */
export class PostgresEvalStore extends KyselyEvalStore {
  private constructor(db: Kysely<EvalDatabase>) {
    super('postgres', db, {
      isUniqueViolation: (error) =>
        error instanceof Error && 'code' in error && error.code === '23505',
    });
  }

  /** Connects, creates the schema if asked, and migrates. */
  static async open(
    options: PostgresEvalStoreOptions,
  ): Promise<PostgresEvalStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new TypeError(`Invalid PostgreSQL schema name '${schema}'`);
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
    });
    const db = new Kysely<EvalDatabase>({
      dialect: new PostgresDialect({ pool }),
    });
    const lock = async (trx: Kysely<EvalDatabase>): Promise<void> => {
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
      options.logger.info({ schema, applied }, 'postgres eval store ready');
    } catch (error) {
      await db.destroy();
      throw new DependencyUnavailableError('eval store (postgres)', error);
    }
    return new PostgresEvalStore(db);
  }

  /** Drops a schema and everything in it (test teardown). */
  async dropSchema(schema: string): Promise<void> {
    if (!SCHEMA_NAME.test(schema) || schema === 'public') {
      throw new TypeError(`Refusing to drop schema '${schema}'`);
    }
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(this.db);
  }
}
