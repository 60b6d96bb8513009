import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { OutboxRecord } from './outbox.js';

/** A raw `fieldwise_outbox` row. */
export interface OutboxRow {
  id: number;
  event_id: string;
  topic: string;
  key: string | null;
  value: string;
  headers: string;
  created_at: number;
  sent_at: number | null;
  attempts: number;
  last_error: string | null;
}

/**
 * Creates the outbox tables if missing and returns this database's producer
 * id, generated once and persisted so a restarted process continues its
 * chain. Table names are prefixed so they can live beside business tables.
 */
export function ensureOutboxSchema(db: Database.Database): string {
  db.exec(`
    CREATE TABLE IF NOT EXISTS fieldwise_outbox (
      -- No AUTOINCREMENT: rows are never deleted, so max(id)+1 is already
      -- monotonic, and AUTOINCREMENT costs a second write per insert.
      id INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL UNIQUE,
      topic TEXT NOT NULL,
      key TEXT,
      value TEXT NOT NULL,
      headers TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL,
      sent_at INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT
    );
    CREATE INDEX IF NOT EXISTS fieldwise_outbox_pending
      ON fieldwise_outbox (id) WHERE sent_at IS NULL;
    CREATE TABLE IF NOT EXISTS fieldwise_outbox_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS fieldwise_outbox_chain (
      producer_id TEXT PRIMARY KEY,
      last_seq INTEGER NOT NULL,
      last_hash TEXT NOT NULL
    );
  `);
  db.prepare(
    `INSERT OR IGNORE INTO fieldwise_outbox_meta (key, value) VALUES ('producer_id', ?)`,
  ).run(randomUUID());
  const row = db
    .prepare(
      `SELECT value FROM fieldwise_outbox_meta WHERE key = 'producer_id'`,
    )
    .get() as { value: string };
  return row.value;
}

/** Maps a raw row to the public record shape. */
export function rowToRecord(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    topic: row.topic,
    key: row.key,
    value: row.value,
    headers: JSON.parse(row.headers) as Record<string, string>,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}
