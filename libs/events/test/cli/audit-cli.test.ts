import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAuditCli } from '../../src/cli/run-audit-cli.js';
import { waitFor } from '@fieldwise/testing';
import { SqliteOutbox, TOPICS, verifyAuditChain } from '../../src/index.js';
import { auditRequestInput, silentLogger, tempDir } from '../helpers.js';
import { tamper, writeAuditOutbox } from './audit-fixtures.js';

async function cli(
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAuditCli(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    logger: silentLogger,
  });
  return { code, out, err };
}

describe('audit CLI over an embedded outbox', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let ids: string[];

  beforeEach(() => {
    dir = tempDir('fieldwise-audit-cli-');
    const written = writeAuditOutbox(dir.path);
    path = written.path;
    ids = written.events.map((e) => e.event.id);
  });
  afterEach(() => dir.remove());

  it('verify passes on the untouched outbox', async () => {
    const result = await cli('verify', '--outbox', path);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^OK: 6 audit events from 1 producer/);
  });

  it('verify fails naming the event after one event is edited', async () => {
    tamper(path, (db) => {
      db.prepare(
        `UPDATE fieldwise_outbox SET value = replace(value, '"status":200', '"status":403') WHERE event_id = ?`,
      ).run(ids[2]);
    });
    const result = await cli('verify', '--outbox', path);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `edit: event ${ids[2]} (seq 3): hash-mismatch`,
    );
  });

  it('verify fails naming the gap after one event is deleted', async () => {
    tamper(path, (db) =>
      db.prepare(`DELETE FROM fieldwise_outbox WHERE event_id = ?`).run(ids[2]),
    );
    const result = await cli('verify', '--outbox', path);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `gap: seq 3..3 missing before event ${ids[3]} (seq 4)`,
    );
  });

  it('verify fails naming the event after two events are reordered', async () => {
    tamper(path, (db) => {
      const rows = db
        .prepare(
          `SELECT id, event_id, value FROM fieldwise_outbox WHERE event_id IN (?, ?) ORDER BY id`,
        )
        .all(ids[1], ids[2]) as {
        id: number;
        event_id: string;
        value: string;
      }[];
      const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
      const swap = db.prepare(
        `UPDATE fieldwise_outbox SET event_id = ?, value = ? WHERE id = ?`,
      );
      db.transaction(() => {
        swap.run(`tmp-${a.event_id}`, b.value, a.id);
        swap.run(a.event_id, a.value, b.id);
        db.prepare(`UPDATE fieldwise_outbox SET event_id = ? WHERE id = ?`).run(
          b.event_id,
          a.id,
        );
      })();
    });
    const result = await cli('verify', '--outbox', path);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `reordering: event ${ids[1]} (seq 2) comes after event ${ids[2]} (seq 3)`,
    );
  });

  it('verify --data-dir finds every outbox and ignores other databases', async () => {
    writeAuditOutbox(dir.path, 'crm-outbox.sqlite');
    new Database(join(dir.path, 'eval.sqlite')).exec('CREATE TABLE t (x)');
    const result = await cli('verify', '--data-dir', dir.path);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^OK: 12 audit events from 2 producer/);
  });

  it('export writes audit events only, as JSONL that round-trips with the chain intact', async () => {
    const out = join(dir.path, 'siem.jsonl');
    const result = await cli('export', '--outbox', path, '--out', out);
    expect(result.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((e) => e['id'])).toEqual(ids);
    expect(
      lines.every(
        (e) => typeof e['hash'] === 'string' && typeof e['seq'] === 'number',
      ),
    ).toBe(true);
    expect(readFileSync(out, 'utf8')).not.toContain('secret text');
    expect(verifyAuditChain(lines).ok).toBe(true);
    // The exported file is the evidence: editing it is detected too.
    const edited = readFileSync(out, 'utf8').replace(
      '"status":200',
      '"status":201',
    );
    writeFileSync(out, edited);
    const reread = edited
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(verifyAuditChain(reread).ok).toBe(false);
  });

  it('tail filters by user, tenant, decision, guardrail and time', async () => {
    const lines = async (...args: string[]) =>
      (await cli('tail', '--outbox', path, ...args)).out
        .trim()
        .split('\n')
        .filter(Boolean);
    expect(await lines()).toHaveLength(6);
    expect(await lines('--user', 'u-sec-1')).toEqual([
      expect.stringContaining(`id=${ids[4]}`),
    ]);
    expect(await lines('--decision', 'deny')).toEqual([
      expect.stringContaining('PUT /v1/policy deny'),
    ]);
    expect(await lines('--guardrail')).toEqual([
      expect.stringContaining('pii.credit-card redact'),
    ]);
    expect(await lines('--rule', 'pii.other')).toEqual([]);
    expect(await lines('--tenant', 'other-tenant')).toEqual([
      expect.stringContaining(`id=${ids[5]}`),
    ]);
    expect(
      await lines(
        '--since',
        '2026-11-25T10:03:00Z',
        '--until',
        '2026-11-25T10:05:00Z',
      ),
    ).toEqual([
      expect.stringContaining(`id=${ids[2]}`),
      expect.stringContaining(`id=${ids[3]}`),
    ]);
  });

  it('tail --follow prints events appended after it started, until stopped', async () => {
    const controller = new AbortController();
    let out = '';
    const running = runAuditCli(
      ['tail', '--outbox', path, '--follow', '--user', 'u-late'],
      {
        stdout: (t) => (out += t),
        stderr: () => undefined,
        logger: silentLogger,
        signal: controller.signal,
      },
    );
    const outbox = SqliteOutbox.open({
      dataDir: dir.path,
      fileName: 'gateway-outbox.sqlite',
      logger: silentLogger,
    });
    const late = outbox.append(
      auditRequestInput(TOPICS.audit, 99, {
        principal: 'u-late',
        key: 'u-late',
      }),
    );
    outbox.close();
    await waitFor(() => out.includes(late.event.id), { timeoutMs: 10_000 });
    controller.abort();
    expect(await running).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('rejects bad usage with exit 2 and a clear message', async () => {
    expect((await cli('verify')).code).toBe(2);
    expect(
      (await cli('verify', '--outbox', join(dir.path, 'missing.sqlite'))).err,
    ).toContain('NOT_FOUND');
    expect(
      (await cli('tail', '--outbox', path, '--since', 'yesterday')).err,
    ).toContain('since');
    expect(
      (await cli('tail', '--outbox', path, '--decision', 'maybe')).code,
    ).toBe(2);
    expect((await cli('frobnicate', '--outbox', path)).code).toBe(2);
  });
});
