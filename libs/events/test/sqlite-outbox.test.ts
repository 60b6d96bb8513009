import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FEEDBACK_EVENT_TYPES,
  SqliteOutbox,
  readOutbox,
  verifyAuditChain,
  type ChainedCloudEvent,
} from '../src/index.js';
import { auditRequestInput, silentLogger, tempDir } from './helpers.js';

const TOPIC = 'fieldwise.audit.v1';
const dirs: { remove: () => void }[] = [];
function dataDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir.path;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

describe('SqliteOutbox', () => {
  it('chains audit events and keeps producer id, sequence and pending rows across reopen', () => {
    const dir = dataDir();
    const first = SqliteOutbox.open({ dataDir: dir, logger: silentLogger });
    const producerId = first.producerId;
    const a = first.appendMany([
      auditRequestInput(TOPIC, 1),
      auditRequestInput(TOPIC, 2),
    ]);
    expect(a.map((e) => e.event.seq)).toEqual([1, 2]);
    first.markSent([a[0]!.record.id]);
    first.close();

    const second = SqliteOutbox.open({ dataDir: dir, logger: silentLogger });
    expect(second.producerId).toBe(producerId);
    expect(second.depth()).toBe(1);
    expect(second.pending(10).map((r) => r.eventId)).toEqual([a[1]!.event.id]);
    const c = second.append(auditRequestInput(TOPIC, 3));
    expect(c.event).toMatchObject({
      producerid: producerId,
      seq: 3,
      prevhash: a[1]!.event.hash,
    });
    second.close();

    const stored = [...readOutbox(join(dir, 'outbox.sqlite'))];
    expect(stored.map((s) => s.record.sentAt === null)).toEqual([
      false,
      true,
      true,
    ]);
    expect(verifyAuditChain(stored.map((s) => s.event)).ok).toBe(true);
  });

  it('does not chain non-audit events', () => {
    const outbox = SqliteOutbox.open({ dataDir: dataDir() });
    const { event } = outbox.append({
      topic: 'fieldwise.feedback.v1',
      key: 'conv-1',
      type: FEEDBACK_EVENT_TYPES.submitted,
      source: '/fieldwise/eval-service',
      data: {
        feedbackId: 'fb-1',
        conversationId: 'conv-1',
        userId: 'u-1',
        tenant: 'acme-main',
        rating: 'up',
      },
    });
    expect(event.seq).toBeUndefined();
    expect(event.data).toMatchObject({ reasons: [] });
    outbox.close();
  });

  it('commits and rolls back with the caller’s transaction when attached', () => {
    const db = new Database(join(dataDir(), 'crm.sqlite'));
    db.exec('CREATE TABLE opportunity (id TEXT PRIMARY KEY, stage TEXT)');
    const outbox = SqliteOutbox.attach(db);
    const change = db.transaction((fail: boolean) => {
      db.prepare('INSERT INTO opportunity VALUES (?, ?)').run(
        fail ? 'o-2' : 'o-1',
        'Negotiation',
      );
      outbox.append(auditRequestInput(TOPIC, fail ? 2 : 1));
      if (fail) throw new Error('business rule failed');
    });
    change(false);
    expect(() => change(true)).toThrow('business rule failed');
    expect(db.prepare('SELECT COUNT(*) AS n FROM opportunity').get()).toEqual({
      n: 1,
    });
    expect(outbox.depth()).toBe(1);
    // The rolled-back append did not consume a sequence number.
    expect(outbox.append(auditRequestInput(TOPIC, 3)).event.seq).toBe(2);
    outbox.close();
    expect(db.open).toBe(true);
    db.close();
  });

  it('rejects invalid input with typed errors and stores nothing', () => {
    const outbox = SqliteOutbox.open({ dataDir: dataDir() });
    expect(() => outbox.append(auditRequestInput('bad topic!', 1))).toThrow(
      ValidationError,
    );
    expect(() =>
      outbox.append(auditRequestInput(TOPIC, 1, { data: { traceId: 'nope' } })),
    ).toThrow(ValidationError);
    expect(() =>
      outbox.append(auditRequestInput(TOPIC, 1, { type: 'unknown.v1' })),
    ).toThrow(/unknown event type/);
    // One bad event in a batch rejects the whole batch.
    expect(() =>
      outbox.appendMany([
        auditRequestInput(TOPIC, 1),
        auditRequestInput('', 2),
      ]),
    ).toThrow(ValidationError);
    expect(outbox.depth()).toBe(0);
    outbox.append(auditRequestInput(TOPIC, 1, { id: 'same' }));
    expect(() =>
      outbox.append(auditRequestInput(TOPIC, 2, { id: 'same' })),
    ).toThrow(FieldwiseError);
    expect(outbox.depth()).toBe(1);
    expect(
      outbox.pending(1)[0] &&
        verifyAuditChain([JSON.parse(outbox.pending(1)[0]!.value)]).ok,
    ).toBe(true);
    outbox.close();
  });

  it('records failed attempts and reports lag from the oldest pending row', () => {
    let now = new Date('2026-11-02T10:00:00.000Z');
    const outbox = SqliteOutbox.open({ dataDir: dataDir(), now: () => now });
    const [e1, e2] = outbox.appendMany([
      auditRequestInput(TOPIC, 1),
      auditRequestInput(TOPIC, 2),
    ]);
    now = new Date('2026-11-02T10:00:05.000Z');
    outbox.markFailed(
      [e1!.record.id, e2!.record.id],
      'KafkaJSConnectionError: refused',
    );
    expect(outbox.pending(10).map((r) => [r.attempts, r.lastError])).toEqual([
      [1, 'KafkaJSConnectionError: refused'],
      [1, 'KafkaJSConnectionError: refused'],
    ]);
    expect(outbox.oldestPendingAt()).toBe(
      Date.parse('2026-11-02T10:00:00.000Z'),
    );
    outbox.markSent([e1!.record.id]);
    const [row] = outbox.pending(10);
    expect(row).toMatchObject({ id: e2!.record.id, attempts: 1 });
    expect((JSON.parse(row!.value) as ChainedCloudEvent).time).toBe(
      '2026-11-02T10:00:00.000Z',
    );
    outbox.close();
  });

  it('readOutbox filters by topic and resumes after an id; a missing file is NOT_FOUND', () => {
    const dir = dataDir();
    const outbox = SqliteOutbox.open({ dataDir: dir });
    outbox.appendMany([
      auditRequestInput(TOPIC, 1),
      auditRequestInput('other.topic', 2),
      auditRequestInput(TOPIC, 3),
    ]);
    outbox.close();
    const path = join(dir, 'outbox.sqlite');
    expect(
      [...readOutbox(path, { topic: TOPIC })].map((e) => e.record.id),
    ).toEqual([1, 3]);
    expect(
      [...readOutbox(path, { afterId: 1 })].map((e) => e.record.id),
    ).toEqual([2, 3]);
    expect(() => [...readOutbox(join(dir, 'missing.sqlite'))]).toThrow(
      /not found/,
    );
  });
});
