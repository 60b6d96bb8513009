import Database from 'better-sqlite3';
import { NotFoundError } from '@fieldwise/errors';
import { existsSync } from 'node:fs';
import type { OutboxRecord } from './outbox.js';
import { rowToRecord, type OutboxRow } from './outbox-schema.js';

/** One stored outbox row with its value parsed (null if it is not JSON). */
export interface StoredOutboxEvent {
  readonly record: OutboxRecord;
  readonly event: unknown;
}

/** Options for {@link readOutbox}. */
export interface ReadOutboxOptions {
  /** Only rows of this topic. */
  readonly topic?: string;
  /** Only rows with an id greater than this (resume a previous read). */
  readonly afterId?: number;
}

/**
 * Iterates the events stored in an outbox database file, sent or not, in
 * append order, read-only (safe while a service writes to it). The file is
 * closed when iteration ends or is abandoned (`return`). Throws
 * `NotFoundError` if the file does not exist. For the audit CLI:
 * `verifyAuditChain(map(readOutbox(path), (e) => e.event))`.
 */
export function* readOutbox(
  dbPath: string,
  options: ReadOutboxOptions = {},
): Generator<StoredOutboxEvent, void, undefined> {
  if (!existsSync(dbPath)) throw new NotFoundError('outbox', dbPath);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT * FROM fieldwise_outbox
         WHERE id > ? AND (? IS NULL OR topic = ?)
         ORDER BY id`,
      )
      .iterate(
        options.afterId ?? 0,
        options.topic ?? null,
        options.topic ?? null,
      );
    for (const row of rows as Iterable<OutboxRow>) {
      yield { record: rowToRecord(row), event: parseJson(row.value) };
    }
  } finally {
    db.close();
  }
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}
