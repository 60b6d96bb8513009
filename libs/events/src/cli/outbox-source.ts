import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { NotFoundError } from '@fieldwise/errors';
import { readOutbox } from '../read-outbox.js';
import type { AuditRecord } from './audit-record.js';

/** A raw stored event (parsed JSON, or null when the row is not JSON) with its origin. */
export interface RawStoredEvent {
  readonly value: unknown;
  readonly origin: AuditRecord['origin'];
}

/**
 * Every outbox database under `dataDir` (the directory itself and its
 * immediate subdirectories): `*.sqlite` files holding a `fieldwise_outbox`
 * table, sorted by path. A missing directory is NOT_FOUND.
 */
export function findOutboxFiles(dataDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch {
    throw new NotFoundError('data dir', dataDir);
  }
  const candidates: string[] = [];
  for (const name of entries) {
    const path = join(dataDir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      for (const inner of readdirSync(path)) {
        if (inner.endsWith('.sqlite')) candidates.push(join(path, inner));
      }
    } else if (name.endsWith('.sqlite')) {
      candidates.push(path);
    }
  }
  return candidates.filter(hasOutboxTable).sort();
}

function hasOutboxTable(path: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return (
      db
        .prepare(
          `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fieldwise_outbox'`,
        )
        .get() !== undefined
    );
  } catch {
    // Not a SQLite database (or locked exclusively): not an outbox we can read.
    return false;
  } finally {
    db?.close();
  }
}

/** Every event of one outbox file on `topic`, in append order. */
export function readOutboxEvents(
  path: string,
  topic: string,
  afterId = 0,
): RawStoredEvent[] {
  const events: RawStoredEvent[] = [];
  for (const stored of readOutbox(path, { topic, afterId })) {
    events.push({
      value: stored.event,
      origin: { source: path, position: String(stored.record.id) },
    });
  }
  return events;
}

/**
 * Follows outbox files: polls each for rows after the last one seen and
 * hands new events to `onEvent`, until `signal` aborts. Starts after the
 * rows present at `from` (row id per path).
 */
export async function followOutboxes(
  paths: readonly string[],
  topic: string,
  from: ReadonlyMap<string, number>,
  onEvent: (event: RawStoredEvent) => void,
  signal: AbortSignal,
  pollMs = 500,
): Promise<void> {
  const last = new Map(from);
  while (!signal.aborted) {
    for (const path of paths) {
      const events = readOutboxEvents(path, topic, last.get(path) ?? 0);
      for (const event of events) {
        last.set(path, Number(event.origin.position));
        onEvent(event);
      }
    }
    await delay(pollMs, undefined, { signal }).catch(() => undefined);
  }
}
