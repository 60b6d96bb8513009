import { computeEventHash } from './audit-chain.js';
import { isAuditEventType } from './audit-events.js';
import { GENESIS_HASH, type ChainedCloudEvent } from './cloud-event.js';

/** Seqs `fromSeq..toSeq` are missing; `nextEventId` is the first event after them. */
export interface ChainGap {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly nextEventId: string;
  readonly nextSeq: number;
}

/** An event whose content does not match the chain. */
export interface ChainEdit {
  readonly eventId: string;
  readonly seq: number;
  /**
   * `hash-mismatch`: the event does not hash to its `hash` (edited in place);
   * `prevhash-mismatch`: its `prevhash` is not the hash of its predecessor
   * (the predecessor was edited and re-hashed, or the chain was spliced);
   * `conflicting-duplicate`: the same id arrived twice with different content;
   * `seq-conflict`: two different events claim the same seq.
   */
  readonly reason:
    | 'hash-mismatch'
    | 'prevhash-mismatch'
    | 'conflicting-duplicate'
    | 'seq-conflict';
  /** The other event involved (predecessor or the conflicting one), when known. */
  readonly otherEventId?: string;
}

/** An event that came after one with a higher seq. */
export interface ChainReordering {
  readonly eventId: string;
  readonly seq: number;
  readonly afterEventId: string;
  readonly afterSeq: number;
}

/** The same event (same id and content) seen more than once: reported, not a failure. */
export interface ChainDuplicate {
  readonly eventId: string;
  readonly seq: number;
  readonly count: number;
}

/** What {@link verifyAuditChain} found for one producer. */
export interface ProducerChainReport {
  readonly producerId: string;
  readonly ok: boolean;
  /** Distinct events (after dedupe by id). */
  readonly events: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly gaps: readonly ChainGap[];
  readonly edits: readonly ChainEdit[];
  readonly reorderings: readonly ChainReordering[];
  readonly duplicates: readonly ChainDuplicate[];
}

/** An input that claims to be an audit event but lacks its chain attributes. */
export interface InvalidChainEntry {
  readonly index: number;
  readonly eventId?: string;
  readonly reason: string;
}

/** The result of {@link verifyAuditChain}: `ok` only if every producer is. */
export interface VerifyReport {
  readonly ok: boolean;
  /** Audit events examined (duplicates included). */
  readonly events: number;
  /** Inputs that were not audit events (other types): ignored. */
  readonly skipped: number;
  readonly producers: readonly ProducerChainReport[];
  readonly invalid: readonly InvalidChainEntry[];
}

/** Options for {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
  /**
   * The input order is the stored order (an outbox, a single-partition
   * topic), so an event after a higher seq is a reordering. Set false when
   * the input was merged from several partitions. Default true.
   */
  readonly ordered?: boolean;
  /**
   * The input holds each chain from its first event, so a chain that does
   * not start at seq 1 has lost its head. Set false for a window of a longer
   * stream (e.g. after retention). Default true.
   */
  readonly fromStart?: boolean;
}

interface ProducerState {
  readonly byId: Map<string, { event: ChainedCloudEvent; count: number }>;
  readonly edits: ChainEdit[];
  readonly reorderings: ChainReordering[];
  previous: ChainedCloudEvent | undefined;
}

/**
 * Verifies the per-producer audit hash chains in `events`: every event must
 * hash to its `hash`, link by `prevhash` to the hash of the event with the
 * previous seq (the first to {@link GENESIS_HASH}), with no seq missing and,
 * when `ordered`, none out of order. Events are deduplicated by id first:
 * exact repeats (at-least-once delivery) are reported as duplicates without
 * failing; the same id with other content is an edit. Non-audit event types
 * are skipped. Every problem names the event id and seq involved.
 */
export function verifyAuditChain(
  events: Iterable<unknown>,
  options: VerifyAuditChainOptions = {},
): VerifyReport {
  const ordered = options.ordered ?? true;
  const fromStart = options.fromStart ?? true;
  const producers = new Map<string, ProducerState>();
  const invalid: InvalidChainEntry[] = [];
  let examined = 0;
  let skipped = 0;
  let index = -1;
  for (const candidate of events) {
    index += 1;
    if (!isRecord(candidate) || typeof candidate.type !== 'string') {
      invalid.push({ index, reason: 'not a CloudEvent object' });
      continue;
    }
    if (!isAuditEventType(candidate.type)) {
      skipped += 1;
      continue;
    }
    examined += 1;
    const id = typeof candidate.id === 'string' ? candidate.id : undefined;
    if (!isChained(candidate)) {
      invalid.push({
        index,
        ...(id === undefined ? {} : { eventId: id }),
        reason: 'audit event without valid producerid, seq, prevhash and hash',
      });
      continue;
    }
    const event = candidate;
    let state = producers.get(event.producerid);
    if (state === undefined) {
      state = {
        byId: new Map(),
        edits: [],
        reorderings: [],
        previous: undefined,
      };
      producers.set(event.producerid, state);
    }
    const seen = state.byId.get(event.id);
    if (seen !== undefined) {
      seen.count += 1;
      if (computeEventHash(seen.event) !== computeEventHash(event)) {
        state.edits.push({
          eventId: event.id,
          seq: event.seq,
          reason: 'conflicting-duplicate',
        });
      }
      continue;
    }
    state.byId.set(event.id, { event, count: 1 });
    if (computeEventHash(event) !== event.hash) {
      state.edits.push({
        eventId: event.id,
        seq: event.seq,
        reason: 'hash-mismatch',
      });
    }
    const previous = state.previous;
    if (ordered && previous !== undefined && event.seq < previous.seq) {
      state.reorderings.push({
        eventId: event.id,
        seq: event.seq,
        afterEventId: previous.id,
        afterSeq: previous.seq,
      });
    }
    state.previous = event;
  }

  const reports = [...producers.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([producerId, state]) => checkLinks(producerId, state, fromStart));
  return {
    ok: invalid.length === 0 && reports.every((report) => report.ok),
    events: examined,
    skipped,
    producers: reports,
    invalid,
  };
}

function checkLinks(
  producerId: string,
  state: ProducerState,
  fromStart: boolean,
): ProducerChainReport {
  const edits = [...state.edits];
  const gaps: ChainGap[] = [];
  const duplicates: ChainDuplicate[] = [];
  const bySeq = new Map<number, ChainedCloudEvent>();
  for (const { event, count } of state.byId.values()) {
    if (count > 1)
      duplicates.push({ eventId: event.id, seq: event.seq, count });
    const other = bySeq.get(event.seq);
    if (other === undefined) {
      bySeq.set(event.seq, event);
    } else {
      edits.push({
        eventId: event.id,
        seq: event.seq,
        reason: 'seq-conflict',
        otherEventId: other.id,
      });
    }
  }
  const seqs = [...bySeq.keys()].sort((a, b) => a - b);
  const firstSeq = seqs[0] ?? 0;
  let expected = fromStart ? 1 : firstSeq;
  for (const seq of seqs) {
    const event = bySeq.get(seq) as ChainedCloudEvent;
    if (seq > expected) {
      gaps.push({
        fromSeq: expected,
        toSeq: seq - 1,
        nextEventId: event.id,
        nextSeq: seq,
      });
    }
    const predecessor = bySeq.get(seq - 1);
    const expectedPrev =
      seq === 1
        ? GENESIS_HASH
        : predecessor === undefined
          ? undefined
          : predecessor.hash;
    if (expectedPrev !== undefined && event.prevhash !== expectedPrev) {
      edits.push({
        eventId: event.id,
        seq,
        reason: 'prevhash-mismatch',
        ...(predecessor === undefined ? {} : { otherEventId: predecessor.id }),
      });
    }
    expected = seq + 1;
  }
  edits.sort((a, b) => a.seq - b.seq);
  return {
    producerId,
    ok:
      gaps.length === 0 && edits.length === 0 && state.reorderings.length === 0,
    events: state.byId.size,
    firstSeq,
    lastSeq: seqs.at(-1) ?? 0,
    gaps,
    edits,
    reorderings: state.reorderings,
    duplicates,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isChained(event: Record<string, unknown>): event is ChainedCloudEvent {
  return (
    typeof event.id === 'string' &&
    typeof event.producerid === 'string' &&
    typeof event.seq === 'number' &&
    Number.isInteger(event.seq) &&
    event.seq > 0 &&
    typeof event.prevhash === 'string' &&
    typeof event.hash === 'string'
  );
}
