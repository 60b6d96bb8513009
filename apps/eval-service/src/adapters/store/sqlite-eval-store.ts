import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Logger } from 'pino';
import { KyselyEvalStore } from './kysely-eval-store.js';
import { migrate } from './migrations.js';
import type { EvalDatabase } from './schema.js';

/** Where the embedded store keeps its file. */
export interface SqliteEvalStoreOptions {
  /** A directory (created if missing) that will hold `eval.sqlite`; or use `file`. */
  readonly dataDir?: string;
  /** An explicit database file, or `:memory:`. */
  readonly file?: string;
  readonly logger: Logger;
}

/**
 * The embedded default store: one SQLite file under the data dir, migrated
 * on open. Kysely serializes access to better-sqlite3's one connection.
 */
export class SqliteEvalStore extends KyselyEvalStore {
  private constructor(db: Kysely<EvalDatabase>) {
    super('sqlite', db, {
      isUniqueViolation: (error) =>
        error instanceof Error &&
        'code' in error &&
        (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
          error.code === 'SQLITE_CONSTRAINT_UNIQUE'),
    });
  }

  /** Opens (creating and migrating as needed) the SQLite store. */
  static async open(options: SqliteEvalStoreOptions): Promise<SqliteEvalStore> {
    const file = resolveFile(options);
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<EvalDatabase>({
      dialect: new SqliteDialect({ database: sqlite }),
    });
    const applied = await migrate(db, async () => {});
    options.logger.info({ file, applied }, 'sqlite eval store ready');
    return new SqliteEvalStore(db);
  }
}

function resolveFile(options: SqliteEvalStoreOptions): string {
  if (options.file !== undefined) return options.file;
  if (options.dataDir === undefined) {
    throw new TypeError('SqliteEvalStore needs a dataDir or a file');
  }
  mkdirSync(options.dataDir, { recursive: true });
  return join(options.dataDir, 'eval.sqlite');
}
