import { describe, expect, it } from 'vitest';
import {
  AUDIT_EVENT_TYPES,
  GENESIS_HASH,
  chainEvent,
  computeEventHash,
  verifyAuditChain,
  type ChainedCloudEvent,
} from '../src/index.js';

function chain(producerId: string, length: number): ChainedCloudEvent[] {
  const events: ChainedCloudEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const event = chainEvent(
      {
        specversion: '1.0',
        id: `${producerId}-e${seq}`,
        source: '/test',
        type: AUDIT_EVENT_TYPES.rateLimit,
        time: '2026-11-02T10:00:00.000Z',
        datacontenttype: 'application/json',
        data: { n: seq },
      },
      { producerId, seq, prevHash },
    );
    prevHash = event.hash;
    events.push(event);
  }
  return events;
}

describe('verifyAuditChain', () => {
  it('accepts intact chains of several producers, interleaved', () => {
    const a = chain('p-a', 5);
    const b = chain('p-b', 3);
    const report = verifyAuditChain([
      a[0],
      b[0],
      a[1],
      b[1],
      a[2],
      a[3],
      b[2],
      a[4],
    ]);
    expect(report.ok).toBe(true);
    expect(
      report.producers.map((p) => [p.producerId, p.events, p.lastSeq]),
    ).toEqual([
      ['p-a', 5, 5],
      ['p-b', 3, 3],
    ]);
  });

  it('detects an event edited in place and names it', () => {
    const events = chain('p', 5);
    events[2] = { ...events[2]!, data: { n: 999 } };
    const report = verifyAuditChain(events);
    expect(report.ok).toBe(false);
    expect(report.producers[0]?.edits).toEqual([
      { eventId: 'p-e3', seq: 3, reason: 'hash-mismatch' },
    ]);
  });

  it('detects an edited event whose hash was recomputed, through its successor', () => {
    const events = chain('p', 5);
    const edited = { ...events[1]!, data: { n: 999 } };
    events[1] = { ...edited, hash: computeEventHash(edited) };
    const report = verifyAuditChain(events);
    expect(report.producers[0]?.edits).toEqual([
      {
        eventId: 'p-e3',
        seq: 3,
        reason: 'prevhash-mismatch',
        otherEventId: 'p-e2',
      },
    ]);
  });

  it('detects a deleted event as a gap naming the next event', () => {
    const events = chain('p', 6);
    events.splice(3, 1);
    const report = verifyAuditChain(events);
    expect(report.ok).toBe(false);
    expect(report.producers[0]?.gaps).toEqual([
      { fromSeq: 4, toSeq: 4, nextEventId: 'p-e5', nextSeq: 5 },
    ]);
  });

  it('detects a lost head unless told the input is a window', () => {
    const events = chain('p', 4).slice(2);
    expect(verifyAuditChain(events).producers[0]?.gaps).toEqual([
      { fromSeq: 1, toSeq: 2, nextEventId: 'p-e3', nextSeq: 3 },
    ]);
    expect(verifyAuditChain(events, { fromStart: false }).ok).toBe(true);
  });

  it('detects reordering when the input order is the stored order', () => {
    const events = chain('p', 5);
    const swapped = [events[0], events[1], events[3], events[2], events[4]];
    const report = verifyAuditChain(swapped);
    expect(report.ok).toBe(false);
    expect(report.producers[0]?.reorderings).toEqual([
      { eventId: 'p-e3', seq: 3, afterEventId: 'p-e4', afterSeq: 4 },
    ]);
    expect(verifyAuditChain(swapped, { ordered: false }).ok).toBe(true);
  });

  it('reports exact duplicates without failing, and conflicting ones as edits', () => {
    const events = chain('p', 3);
    const redelivered = [...events, events[1]!, events[1]!];
    const report = verifyAuditChain(redelivered);
    expect(report.ok).toBe(true);
    expect(report.producers[0]?.duplicates).toEqual([
      { eventId: 'p-e2', seq: 2, count: 3 },
    ]);

    const forged = [...events, { ...events[1]!, data: { n: -1 } }];
    expect(verifyAuditChain(forged).producers[0]?.edits).toContainEqual({
      eventId: 'p-e2',
      seq: 2,
      reason: 'conflicting-duplicate',
    });
  });

  it('flags two events claiming one seq, and malformed audit entries', () => {
    const events = chain('p', 3);
    const intruder = chainEvent(
      { ...events[1]!, id: 'intruder' },
      { producerId: 'p', seq: 2, prevHash: events[0]!.hash },
    );
    const report = verifyAuditChain([
      ...events,
      intruder,
      { type: AUDIT_EVENT_TYPES.request, id: 'x' },
      42,
    ]);
    expect(report.producers[0]?.edits).toContainEqual({
      eventId: 'intruder',
      seq: 2,
      reason: 'seq-conflict',
      otherEventId: 'p-e2',
    });
    expect(report.invalid.map((i) => i.index)).toEqual([4, 5]);
    expect(report.ok).toBe(false);
  });

  it('skips non-audit events', () => {
    const report = verifyAuditChain([
      ...chain('p', 2),
      { type: 'fieldwise.feedback.submitted.v1' },
    ]);
    expect(report).toMatchObject({ ok: true, events: 2, skipped: 1 });
  });
});
