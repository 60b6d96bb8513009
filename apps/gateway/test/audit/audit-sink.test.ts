import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_EVENT_TYPES,
  SqliteOutbox,
  type AuditRequestV1,
  type OutboxEventInput,
} from '@fieldwise/events';
import { OutboxAuditSink } from '../../src/audit/audit-sink.js';

function requestEvent(n: number): AuditRequestV1 {
  return {
    traceId: n.toString(16).padStart(32, '0'),
    actor: { userId: 'u-1', kind: 'user', roles: ['seller'], tenant: 'lumen' },
    service: 'gateway',
    requestId: `r-${n}`,
    protocol: 'http',
    method: 'GET',
    route: '/v1/models',
    status: 200,
    latencyMs: 1,
  };
}

describe('OutboxAuditSink batching', () => {
  let dir: string;
  let outbox: SqliteOutbox;
  let batches: number[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fieldwise-audit-sink-'));
    outbox = SqliteOutbox.open({
      dataDir: dir,
      logger: pino({ level: 'silent' }),
    });
    batches = [];
    const appendMany = outbox.appendMany.bind(outbox);
    outbox.appendMany = (inputs: readonly OutboxEventInput[]) => {
      batches.push(inputs.length);
      return appendMany(inputs);
    };
  });
  afterEach(() => {
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves whenDurable only once the queued events are committed, in one shared transaction', async () => {
    const sink = new OutboxAuditSink({
      outbox,
      logger: pino({ level: 'silent' }),
      // Longer than the test: only waiting for durability commits early.
      flushIntervalMs: 60_000,
    });
    sink.record(AUDIT_EVENT_TYPES.request, requestEvent(1), {});
    const first = sink.whenDurable();
    sink.record(AUDIT_EVENT_TYPES.request, requestEvent(2), {});
    const second = sink.whenDurable();
    expect(outbox.depth()).toBe(0);
    await Promise.all([first, second]);
    expect(batches).toEqual([2]);
    expect(outbox.depth()).toBe(2);
    await expect(sink.whenDurable()).resolves.toBeUndefined();
    expect(batches).toEqual([2]);
  });

  it('commits the events of many requests in one transaction, and loses none on flush', () => {
    const sink = new OutboxAuditSink({
      outbox,
      logger: pino({ level: 'silent' }),
      // Longer than the test: only the explicit flush (as on shutdown) commits.
      flushIntervalMs: 60_000,
    });
    for (let n = 1; n <= 5; n++) {
      sink.record(AUDIT_EVENT_TYPES.request, requestEvent(n), {});
    }
    expect(outbox.depth()).toBe(0);
    sink.flush();
    expect(batches).toEqual([5]);
    expect(outbox.depth()).toBe(5);
    sink.flush();
    expect(batches).toEqual([5]);
  });

  it('commits at once when a batch is full', () => {
    const sink = new OutboxAuditSink({
      outbox,
      logger: pino({ level: 'silent' }),
      flushIntervalMs: 60_000,
      maxBatch: 3,
    });
    for (let n = 1; n <= 7; n++) {
      sink.record(AUDIT_EVENT_TYPES.request, requestEvent(n), {});
    }
    expect(batches).toEqual([3, 3]);
    sink.flush();
    expect(batches).toEqual([3, 3, 1]);
    expect(outbox.depth()).toBe(7);
  });

  it('commits by itself when the interval elapses', async () => {
    const sink = new OutboxAuditSink({
      outbox,
      logger: pino({ level: 'silent' }),
      flushIntervalMs: 5,
    });
    sink.record(AUDIT_EVENT_TYPES.request, requestEvent(1), {});
    sink.record(AUDIT_EVENT_TYPES.request, requestEvent(2), {});
    await expect.poll(() => outbox.depth()).toBe(2);
    expect(batches).toEqual([2]);
  });
});
