import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Logger } from 'pino';
import { KyselyCrmStore } from './kysely-crm-store.js';
import { migrate } from './migrations.js';
import type { CrmDatabase } from './schema.js';

/** Where the embedded store keeps its file. */
export interface SqliteCrmStoreOptions {
  /** A directory (created if missing) that will hold `crm.sqlite`; or use `file`. */
  readonly dataDir?: string;
  /** An explicit database file, or `:memory:`. */
  readonly file?: string;
  readonly logger: Logger;
}

/**
 * The embedded default store: one SQLite file under the data dir, migrated
 * on open. better-sqlite3 is synchronous and Kysely serialises access to its
 * single connection, so transactions never interleave.
 */
export class SqliteCrmStore extends KyselyCrmStore {
  private constructor(db: Kysely<CrmDatabase>) {
    super('sqlite', db, {
      isUniqueViolation: (error) =>
        error instanceof Error &&
        'code' in error &&
        (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
          error.code === 'SQLITE_CONSTRAINT_UNIQUE'),
    });
  }

  /** Opens (creating and migrating as needed) the SQLite store. */
  static async open(options: SqliteCrmStoreOptions): Promise<SqliteCrmStore> {
    const file = resolveFile(options);
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<CrmDatabase>({
      dialect: new SqliteDialect({ database: sqlite }),
    });
    const applied = await migrate(db, async () => {});
    options.logger.info({ file, applied }, 'sqlite crm store ready');
    return new SqliteCrmStore(db);
  }
}

function resolveFile(options: SqliteCrmStoreOptions): string {
  if (options.file !== undefined) return options.file;
  if (options.dataDir === undefined) {
    throw new TypeError('SqliteCrmStore needs a dataDir or a file');
  }
  mkdirSync(options.dataDir, { recursive: true });
  return join(options.dataDir, 'crm.sqlite');
}
