import { afterEach, describe, expect, it } from 'vitest';
import {
  OutboxRelay,
  SqliteOutbox,
  type EventPublisher,
  type OutboxRecord,
} from '../src/index.js';
import { auditRequestInput, silentLogger, tempDir } from './helpers.js';

const TOPIC = 'fieldwise.audit.v1';

/** A publisher double: fails while `down` is true, records what it accepted. */
class FakePublisher implements EventPublisher {
  down = false;
  calls = 0;
  readonly accepted: OutboxRecord[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  publish(records: readonly OutboxRecord[]): Promise<void> {
    this.calls += 1;
    if (this.down) return Promise.reject(new Error('broker unreachable'));
    this.accepted.push(...records);
    this.waiters = this.waiters.filter((w) => {
      if (this.accepted.length < w.count) return true;
      w.resolve();
      return false;
    });
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves once `count` records were accepted in total. */
  acceptedAtLeast(count: number): Promise<void> {
    if (this.accepted.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Resolves after `count` publish calls. */
  async callsAtLeast(count: number): Promise<void> {
    while (this.calls < count) await new Promise((r) => setTimeout(r, 5));
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function openOutbox(): SqliteOutbox {
  const dir = tempDir();
  const outbox = SqliteOutbox.open({
    dataDir: dir.path,
    synchronous: 'NORMAL',
  });
  cleanups.push(() => {
    outbox.close();
    dir.remove();
  });
  return outbox;
}

describe('OutboxRelay', () => {
  it('publishes in order, in batches, and marks rows sent only after the publisher resolved', async () => {
    const outbox = openOutbox();
    const publisher = new FakePublisher();
    const relay = new OutboxRelay({
      outbox,
      publisher,
      logger: silentLogger,
      batchSize: 4,
    });
    const appended = outbox.appendMany(
      Array.from({ length: 10 }, (_, i) => auditRequestInput(TOPIC, i)),
    );
    relay.start();
    await publisher.acceptedAtLeast(10);
    await relay.stop({ flushTimeoutMs: 2000 });
    expect(publisher.accepted.map((r) => r.eventId)).toEqual(
      appended.map((a) => a.event.id),
    );
    expect(publisher.calls).toBe(3);
    expect(relay.depth()).toBe(0);
    expect(relay.lagMs()).toBe(0);
  });

  it('keeps rows pending through failures, retries with backoff, then delivers all of them', async () => {
    const outbox = openOutbox();
    const publisher = new FakePublisher();
    publisher.down = true;
    const relay = new OutboxRelay({
      outbox,
      publisher,
      logger: silentLogger,
      backoff: { initialMs: 5, maxMs: 20, jitter: 0 },
    });
    relay.start();
    outbox.appendMany([
      auditRequestInput(TOPIC, 1),
      auditRequestInput(TOPIC, 2),
    ]);
    await publisher.callsAtLeast(4);
    expect(relay.consecutiveFailures()).toBeGreaterThanOrEqual(3);
    expect(relay.depth()).toBe(2);
    const [row] = outbox.pending(1);
    expect(row?.attempts).toBeGreaterThanOrEqual(3);
    expect(row?.lastError).toBe('Error: broker unreachable');

    // Appends keep working while the publisher is down.
    outbox.append(auditRequestInput(TOPIC, 3));
    publisher.down = false;
    await publisher.acceptedAtLeast(3);
    const result = await relay.stop({ flushTimeoutMs: 2000 });
    expect(result).toEqual({ flushed: true, pending: 0 });
    expect(relay.consecutiveFailures()).toBe(0);
    expect(publisher.accepted).toHaveLength(3);
  });

  it('wakes on append instead of waiting for the poll interval', async () => {
    const outbox = openOutbox();
    const publisher = new FakePublisher();
    // A poll interval far beyond the test timeout: only the append can wake it.
    const relay = new OutboxRelay({
      outbox,
      publisher,
      logger: silentLogger,
      pollIntervalMs: 3_600_000,
    });
    relay.start();
    await publisher.callsAtLeast(0);
    await new Promise((r) => setTimeout(r, 20));
    outbox.append(auditRequestInput(TOPIC, 1));
    await publisher.acceptedAtLeast(1);
    await relay.stop({ flushTimeoutMs: 1000 });
  });

  it('stops within its flush bound while the broker is down, leaving rows pending', async () => {
    const outbox = openOutbox();
    const publisher = new FakePublisher();
    publisher.down = true;
    const relay = new OutboxRelay({
      outbox,
      publisher,
      logger: silentLogger,
      backoff: { initialMs: 3_600_000, maxMs: 3_600_000 },
    });
    outbox.append(auditRequestInput(TOPIC, 1));
    relay.start();
    await publisher.callsAtLeast(1);
    // The relay sleeps for an hour of backoff; stop must still return.
    const result = await relay.stop({ flushTimeoutMs: 100 });
    expect(result).toEqual({ flushed: false, pending: 1 });
    expect(outbox.pending(1)[0]?.sentAt).toBeNull();
  });
});
