import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ProcessedEventStore } from './processed-event-store.js';

/** Options for {@link SqliteProcessedEventStore.open}. */
export interface SqliteProcessedEventStoreOptions {
  readonly dataDir: string;
  /** Default `processed-events.sqlite`. */
  readonly fileName?: string;
  /** Clock for the `processed_at` column. */
  readonly now?: () => Date;
}

/**
 * The default {@link ProcessedEventStore}: a SQLite table keyed by
 * (group id, event id). `open` keeps it in its own file; `attach` puts it in
 * the caller's database so a handler can mark inside its own transaction.
 */
export class SqliteProcessedEventStore implements ProcessedEventStore {
  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly now: () => Date;
  private readonly has: Database.Statement;
  private readonly mark: Database.Statement;

  /** Opens (creating if needed) `<dataDir>/<fileName>`. */
  static open(
    options: SqliteProcessedEventStoreOptions,
  ): SqliteProcessedEventStore {
    mkdirSync(options.dataDir, { recursive: true });
    const db = new Database(
      join(options.dataDir, options.fileName ?? 'processed-events.sqlite'),
    );
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      return new SqliteProcessedEventStore(db, true, options.now);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Uses the caller's database; `close()` leaves it open. */
  static attach(
    db: Database.Database,
    options: { now?: () => Date } = {},
  ): SqliteProcessedEventStore {
    return new SqliteProcessedEventStore(db, false, options.now);
  }

  private constructor(
    db: Database.Database,
    ownsDb: boolean,
    now: (() => Date) | undefined,
  ) {
    this.db = db;
    this.ownsDb = ownsDb;
    this.now = now ?? (() => new Date());
    db.exec(`
      CREATE TABLE IF NOT EXISTS fieldwise_processed_events (
        group_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        processed_at INTEGER NOT NULL,
        PRIMARY KEY (group_id, event_id)
      ) WITHOUT ROWID;
    `);
    this.has = db.prepare(
      `SELECT 1 FROM fieldwise_processed_events WHERE group_id = ? AND event_id = ?`,
    );
    this.mark = db.prepare(
      `INSERT OR IGNORE INTO fieldwise_processed_events (group_id, event_id, processed_at)
       VALUES (?, ?, ?)`,
    );
  }

  isProcessed(groupId: string, eventId: string): boolean {
    return this.has.get(groupId, eventId) !== undefined;
  }

  markProcessed(groupId: string, eventId: string): void {
    this.mark.run(groupId, eventId, this.now().getTime());
  }

  close(): void {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
