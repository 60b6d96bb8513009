import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import type { Logger } from 'pino';
import { chainEventJson } from './audit-chain.js';
import { isAuditEventType } from './audit-events.js';
import {
  CLOUDEVENTS_SPEC_VERSION,
  GENESIS_HASH,
  type CloudEvent,
} from './cloud-event.js';
import {
  EVENT_PAYLOAD_SCHEMAS,
  type PayloadSchemas,
} from './event-registry.js';
import type {
  AppendedEvent,
  Outbox,
  OutboxEventInput,
  OutboxRecord,
} from './outbox.js';
import { parseOutboxDraft, type OutboxDraft } from './outbox-draft.js';
import {
  ensureOutboxSchema,
  rowToRecord,
  type OutboxRow,
} from './outbox-schema.js';
import { isValidTopicName } from './topics.js';

/** Options shared by {@link SqliteOutbox.open} and {@link SqliteOutbox.attach}. */
export interface SqliteOutboxCommonOptions {
  readonly logger?: Logger;
  /** Clock for `time` and `createdAt`; tests pass a fixed one. */
  readonly now?: () => Date;
  /** Payload schemas by type; defaults to `EVENT_PAYLOAD_SCHEMAS`. */
  readonly schemas?: PayloadSchemas;
}

/** Options for {@link SqliteOutbox.open}. */
export interface SqliteOutboxOptions extends SqliteOutboxCommonOptions {
  /** Directory of the database file; created if missing. */
  readonly dataDir: string;
  /** File name inside `dataDir`. Default `outbox.sqlite`. */
  readonly fileName?: string;
  /**
   * SQLite `synchronous`: `FULL` (default) makes each commit survive power
   * loss; `NORMAL` survives a process crash only, and is faster.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

interface ChainRow {
  last_seq: number;
  last_hash: string;
}

/** The chain head while a batch is appended. */
interface ChainHead {
  seq: number;
  hash: string;
  moved: boolean;
}

/**
 * The outbox in SQLite (better-sqlite3, WAL). {@link SqliteOutbox.open}
 * keeps it in its own file under a data dir; {@link SqliteOutbox.attach}
 * puts its tables in the caller's database, so that an `append` made inside
 * the caller's `db.transaction(...)` commits or rolls back together with the
 * business change it records (the transactional-outbox pattern).
 */
export class SqliteOutbox implements Outbox {
  readonly producerId: string;
  /** The database file, or `:memory:`/the caller's name for attached ones. */
  readonly path: string;

  private readonly db: Database.Database;
  private readonly ownsDb: boolean;
  private readonly synchronous: 'FULL' | 'NORMAL' | undefined;
  private readonly now: () => Date;
  private readonly schemas: PayloadSchemas;
  private readonly listeners = new Set<() => void>();
  private readonly statements: ReturnType<typeof prepare>;
  private readonly appendAll: (
    inputs: readonly OutboxEventInput[],
  ) => AppendedEvent[];
  private notifyScheduled = false;

  /** Opens (creating if needed) the outbox file `<dataDir>/<fileName>`. */
  static open(options: SqliteOutboxOptions): SqliteOutbox {
    mkdirSync(options.dataDir, { recursive: true });
    const path = join(options.dataDir, options.fileName ?? 'outbox.sqlite');
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      db.pragma('busy_timeout = 5000');
      return new SqliteOutbox(db, true, options, options.synchronous ?? 'FULL');
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Uses the caller's open database for the outbox tables (created if
   * missing). The caller keeps ownership: `close()` leaves `db` open. Append
   * inside the caller's transaction to make the event atomic with its data.
   */
  static attach(
    db: Database.Database,
    options: SqliteOutboxCommonOptions = {},
  ): SqliteOutbox {
    return new SqliteOutbox(db, false, options, undefined);
  }

  private constructor(
    db: Database.Database,
    ownsDb: boolean,
    options: SqliteOutboxCommonOptions,
    synchronous: 'FULL' | 'NORMAL' | undefined,
  ) {
    this.synchronous = synchronous;
    this.db = db;
    this.ownsDb = ownsDb;
    this.path = db.name;
    this.now = options.now ?? (() => new Date());
    this.schemas = options.schemas ?? EVENT_PAYLOAD_SCHEMAS;
    this.producerId = ensureOutboxSchema(db);
    this.statements = prepare(db);
    // IMMEDIATE takes the write lock up front, so two processes appending to
    // one file cannot both read the same chain head.
    const transaction = db.transaction(
      (inputs: readonly OutboxEventInput[]) => {
        // The chain head is read once and written once per batch, not per event.
        const row = this.statements.chainHead.get(this.producerId) as
          ChainRow | undefined;
        const head: ChainHead = {
          seq: row?.last_seq ?? 0,
          hash: row?.last_hash ?? GENESIS_HASH,
          moved: false,
        };
        const appended = inputs.map((input) => this.appendOne(input, head));
        if (head.moved) {
          this.statements.advanceChain.run(
            this.producerId,
            head.seq,
            head.hash,
          );
        }
        return appended;
      },
    );
    this.appendAll = (inputs) => transaction.immediate(inputs);
    options.logger?.debug(
      { path: this.path, producerId: this.producerId },
      'outbox opened',
    );
  }

  append(input: OutboxEventInput): AppendedEvent {
    const [appended] = this.appendMany([input]);
    return appended as AppendedEvent;
  }

  appendMany(inputs: readonly OutboxEventInput[]): AppendedEvent[] {
    if (inputs.length === 0) return [];
    const appended = this.appendAll(inputs);
    this.scheduleNotify();
    return appended;
  }

  pending(limit: number): OutboxRecord[] {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new ValidationError([
        { field: 'limit', message: 'must be a positive integer' },
      ]);
    }
    return (this.statements.pending.all(limit) as OutboxRow[]).map(rowToRecord);
  }

  markSent(ids: readonly number[], sentAt = this.now().getTime()): void {
    if (ids.length === 0) return;
    this.withRelaxedSync(() =>
      this.statements.markSent.run(sentAt, JSON.stringify(ids)),
    );
  }

  markFailed(ids: readonly number[], error: string): void {
    if (ids.length === 0) return;
    this.withRelaxedSync(() =>
      this.statements.markFailed.run(error.slice(0, 2000), JSON.stringify(ids)),
    );
  }

  depth(): number {
    return (this.statements.depth.get() as { n: number }).n;
  }

  oldestPendingAt(): number | null {
    const row = this.statements.oldestPending.get() as
      { created_at: number } | undefined;
    return row?.created_at ?? null;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private appendOne(input: OutboxEventInput, head: ChainHead): AppendedEvent {
    if (!isValidTopicName(input.topic)) {
      throw new ValidationError([
        {
          field: 'topic',
          message: `'${input.topic}' is not a valid Kafka topic name`,
        },
      ]);
    }
    const now = this.now();
    const draft: Record<string, unknown> & OutboxDraft = {
      specversion: CLOUDEVENTS_SPEC_VERSION,
      id: input.id ?? randomUUID(),
      source: input.source,
      type: input.type,
      subject: input.subject,
      time: (input.time ?? now).toISOString(),
      datacontenttype: 'application/json',
      tenant: input.tenant,
      principal: input.principal,
      traceparent: input.traceparent,
      data: input.data,
    };
    for (const key of Object.keys(draft)) {
      if (draft[key] === undefined) delete draft[key];
    }
    let event: CloudEvent = parseOutboxDraft(draft, this.schemas);
    let value: string;
    if (isAuditEventType(event.type)) {
      // One serialization: the canonical JSON that is hashed is stored too.
      const chained = chainEventJson(event, {
        producerId: this.producerId,
        seq: head.seq + 1,
        prevHash: head.hash,
      });
      head.seq = chained.event.seq;
      head.hash = chained.event.hash;
      head.moved = true;
      event = chained.event;
      value = chained.json;
    } else {
      value = JSON.stringify(event);
    }
    const headers = { ...input.headers };
    const row = {
      event_id: event.id,
      topic: input.topic,
      key: input.key ?? null,
      value,
      headers: JSON.stringify(headers),
      created_at: now.getTime(),
    };
    let id: number;
    try {
      id = Number(this.statements.insert.run(row).lastInsertRowid);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new FieldwiseError(
          'ALREADY_EXISTS',
          `event '${event.id}' is already in the outbox`,
          { context: { eventId: event.id }, cause: error },
        );
      }
      throw error;
    }
    return {
      event,
      record: {
        id,
        eventId: event.id,
        topic: row.topic,
        key: row.key,
        value: row.value,
        headers,
        createdAt: row.created_at,
        sentAt: null,
        attempts: 0,
        lastError: null,
      },
    };
  }

  /**
   * Runs a delivery-bookkeeping write without an fsync of its own. Losing
   * such a write to a power cut only means the rows are published again,
   * which consumers deduplicate; the next FULL commit makes it durable
   * anyway. Only for a database this outbox opened: an attached one keeps
   * the caller's settings.
   */
  private withRelaxedSync(write: () => void): void {
    if (!this.ownsDb || this.synchronous !== 'FULL') {
      write();
      return;
    }
    this.db.pragma('synchronous = NORMAL');
    try {
      write();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled || this.listeners.size === 0) return;
    this.notifyScheduled = true;
    // After the current synchronous code, so a caller's enclosing transaction
    // has usually committed before the relay looks.
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO fieldwise_outbox (event_id, topic, key, value, headers, created_at)
       VALUES (@event_id, @topic, @key, @value, @headers, @created_at)`,
    ),
    pending: db.prepare(
      `SELECT * FROM fieldwise_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?`,
    ),
    markSent: db.prepare(
      `UPDATE fieldwise_outbox
       SET sent_at = ?, attempts = attempts + 1, last_error = NULL
       WHERE id IN (SELECT value FROM json_each(?)) AND sent_at IS NULL`,
    ),
    markFailed: db.prepare(
      `UPDATE fieldwise_outbox SET attempts = attempts + 1, last_error = ?
       WHERE id IN (SELECT value FROM json_each(?)) AND sent_at IS NULL`,
    ),
    depth: db.prepare(
      `SELECT COUNT(*) AS n FROM fieldwise_outbox WHERE sent_at IS NULL`,
    ),
    oldestPending: db.prepare(
      `SELECT created_at FROM fieldwise_outbox WHERE sent_at IS NULL ORDER BY id LIMIT 1`,
    ),
    chainHead: db.prepare(
      `SELECT last_seq, last_hash FROM fieldwise_outbox_chain WHERE producer_id = ?`,
    ),
    advanceChain: db.prepare(
      `INSERT INTO fieldwise_outbox_chain (producer_id, last_seq, last_hash)
       VALUES (?, ?, ?)
       ON CONFLICT (producer_id) DO UPDATE
       SET last_seq = excluded.last_seq, last_hash = excluded.last_hash`,
    ),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
