import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import {
  FieldwiseError,
  ValidationError,
  toFieldwiseError,
} from '@fieldwise/errors';
import { TOPICS } from '../topics.js';
import { verifyAuditChain, type VerifyReport } from '../verify-audit-chain.js';
import {
  matchesFilter,
  parseTimeOption,
  type AuditFilter,
} from './audit-filter.js';
import { isAuditRecordEvent } from './audit-record.js';
import { readKafkaTopic } from './kafka-source.js';
import {
  findOutboxFiles,
  followOutboxes,
  readOutboxEvents,
  type RawStoredEvent,
} from './outbox-source.js';

/** What the audit CLI touches, injected so tests run it in-process. */
export interface AuditCliEnvironment {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly logger: Logger;
  /** Stops `tail --follow` (SIGINT in the real CLI). */
  readonly signal?: AbortSignal;
}

const USAGE = `usage: npm run audit -- <command> [source] [options]
commands:
  tail     print audit events, one line each (metadata only); --follow keeps reading
  verify   check every producer's hash chain; exit 1 on a gap, edit or reordering
  export   write audit events as JSONL for a SIEM, chain fields kept (--out <file>)
source (one of):
  --outbox <path>       an outbox SQLite file (repeatable)
  --data-dir <dir>      every outbox *.sqlite under the directory
  --brokers <a,b>       Kafka brokers; --topic <name> (default ${TOPICS.audit})
filters (tail, export):
  --user <id> --tenant <id> --decision allow|deny --guardrail [--rule <id>]
  --since <ISO time> --until <ISO time>
`;

/** Where the audit events are read from. */
export type AuditSourceSpec =
  | { kind: 'outbox'; paths: string[]; topic: string }
  | { kind: 'kafka'; brokers: string[]; topic: string };

/**
 * Runs `tail`, `verify` or `export` over the audit stream of a Kafka topic
 * or local outboxes and returns the exit code: 0 ok, 1 a chain problem
 * (verify), 2 a usage or source error. Only audit events are ever output,
 * and they carry metadata and digests, never clear-text payloads.
 */
export async function runAuditCli(
  argv: readonly string[],
  env: AuditCliEnvironment,
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        outbox: { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
        brokers: { type: 'string' },
        topic: { type: 'string' },
        user: { type: 'string' },
        tenant: { type: 'string' },
        decision: { type: 'string' },
        guardrail: { type: 'boolean' },
        rule: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        follow: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    const command = positionals[0];
    if (values.help || command === undefined) {
      env.stdout(USAGE);
      return values.help ? 0 : 2;
    }
    const source = resolveSource(values);
    const filter = resolveFilter(values);
    switch (command) {
      case 'verify':
        return await verify(source, env);
      case 'export':
        return await exportJsonl(source, filter, values.out, env);
      case 'tail':
        return await tail(source, filter, values.follow ?? false, env);
      default:
        throw new ValidationError([
          {
            field: 'command',
            message: `'${command}' is not tail, verify or export`,
          },
        ]);
    }
  } catch (error) {
    const failure =
      error instanceof TypeError
        ? new ValidationError([{ field: 'arguments', message: error.message }])
        : toFieldwiseError(error);
    env.stderr(`audit: ${failure.code}: ${failure.message}\n`);
    if (failure.code === 'INTERNAL')
      env.logger.error({ err: error }, 'audit CLI failed');
    return 2;
  }
}

function resolveSource(values: {
  outbox?: string[] | undefined;
  'data-dir'?: string | undefined;
  brokers?: string | undefined;
  topic?: string | undefined;
}): AuditSourceSpec {
  const topic = values.topic ?? TOPICS.audit;
  const given = [values.outbox, values['data-dir'], values.brokers].filter(
    (v) => v !== undefined,
  );
  if (given.length !== 1) {
    throw new ValidationError([
      {
        field: 'source',
        message: 'give exactly one of --outbox, --data-dir or --brokers',
      },
    ]);
  }
  if (values.brokers !== undefined) {
    const brokers = values.brokers
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    if (brokers.length === 0)
      throw new ValidationError([{ field: 'brokers', message: 'is empty' }]);
    return { kind: 'kafka', brokers, topic };
  }
  if (values['data-dir'] !== undefined) {
    const paths = findOutboxFiles(values['data-dir']);
    if (paths.length === 0) {
      throw new FieldwiseError(
        'NOT_FOUND',
        `no outbox under ${values['data-dir']}`,
      );
    }
    return { kind: 'outbox', paths, topic };
  }
  return { kind: 'outbox', paths: values.outbox ?? [], topic };
}

function resolveFilter(values: {
  user?: string | undefined;
  tenant?: string | undefined;
  decision?: string | undefined;
  guardrail?: boolean | undefined;
  rule?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}): AuditFilter {
  if (
    values.decision !== undefined &&
    values.decision !== 'allow' &&
    values.decision !== 'deny'
  ) {
    throw new ValidationError([
      { field: 'decision', message: 'must be allow or deny' },
    ]);
  }
  const guardrail =
    values.rule !== undefined
      ? values.rule
      : values.guardrail
        ? true
        : undefined;
  return {
    ...(values.user === undefined ? {} : { user: values.user }),
    ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
    ...(values.decision === undefined ? {} : { decision: values.decision }),
    ...(guardrail === undefined ? {} : { guardrail }),
    ...(values.since === undefined
      ? {}
      : { sinceMs: parseTimeOption(values.since, 'since') }),
    ...(values.until === undefined
      ? {}
      : { untilMs: parseTimeOption(values.until, 'until') }),
  };
}

async function readAll(
  source: AuditSourceSpec,
  env: AuditCliEnvironment,
): Promise<{ events: RawStoredEvent[]; ordered: boolean }> {
  if (source.kind === 'outbox') {
    return {
      events: source.paths.flatMap((path) =>
        readOutboxEvents(path, source.topic),
      ),
      ordered: true,
    };
  }
  const { events, partitions } = await readKafkaTopic({
    ...source,
    logger: env.logger,
  });
  // One producer's events spread over partitions by key: only one partition keeps a total order.
  return { events, ordered: partitions <= 1 };
}

async function verify(
  source: AuditSourceSpec,
  env: AuditCliEnvironment,
): Promise<number> {
  const { events, ordered } = await readAll(source, env);
  const report = verifyAuditChain(
    events.map((e) => e.value),
    { ordered },
  );
  env.stdout(formatReport(report, source));
  return report.ok ? 0 : 1;
}

/** The verify report in plain lines, each problem naming the event id and seq. */
export function formatReport(
  report: VerifyReport,
  source: AuditSourceSpec,
): string {
  const where =
    source.kind === 'kafka' ? `topic ${source.topic}` : source.paths.join(', ');
  const lines = [
    `${report.ok ? 'OK' : 'FAILED'}: ${report.events} audit events from ${report.producers.length} producer(s) in ${where}`,
  ];
  for (const p of report.producers) {
    lines.push(
      `producer ${p.producerId}: ${p.ok ? 'ok' : 'BROKEN'}, ${p.events} events, seq ${p.firstSeq}..${p.lastSeq}`,
    );
    for (const gap of p.gaps)
      lines.push(
        `  gap: seq ${gap.fromSeq}..${gap.toSeq} missing before event ${gap.nextEventId} (seq ${gap.nextSeq})`,
      );
    for (const edit of p.edits)
      lines.push(
        `  edit: event ${edit.eventId} (seq ${edit.seq}): ${edit.reason}${edit.otherEventId ? ` (with event ${edit.otherEventId})` : ''}`,
      );
    for (const r of p.reorderings)
      lines.push(
        `  reordering: event ${r.eventId} (seq ${r.seq}) comes after event ${r.afterEventId} (seq ${r.afterSeq})`,
      );
    for (const d of p.duplicates)
      lines.push(
        `  duplicate (not a failure): event ${d.eventId} (seq ${d.seq}) seen ${d.count} times`,
      );
  }
  for (const bad of report.invalid)
    lines.push(
      `invalid: entry ${bad.index}${bad.eventId ? ` event ${bad.eventId}` : ''}: ${bad.reason}`,
    );
  return `${lines.join('\n')}\n`;
}

function selected(
  events: readonly RawStoredEvent[],
  filter: AuditFilter,
): Record<string, unknown>[] {
  return events
    .map((e) => e.value)
    .filter(isAuditRecordEvent)
    .filter((event) => matchesFilter(event, filter));
}

async function exportJsonl(
  source: AuditSourceSpec,
  filter: AuditFilter,
  out: string | undefined,
  env: AuditCliEnvironment,
): Promise<number> {
  const { events } = await readAll(source, env);
  const chosen = selected(events, filter);
  // The stored JSON as is: re-serializing the same object keeps every chain field verifiable.
  const text = chosen.map((event) => `${JSON.stringify(event)}\n`).join('');
  if (out === undefined) env.stdout(text);
  else {
    writeFileSync(out, text);
    env.stderr(`audit: exported ${chosen.length} events to ${out}\n`);
  }
  return 0;
}

/** A primitive attribute as text; anything else (absent, object) as `-`. */
function show(value: unknown): string {
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
    ? String(value)
    : '-';
}

/** One line of `tail`: time, type, tenant, actor, what happened; never payload text. */
export function formatTailLine(event: Record<string, unknown>): string {
  const data = (event['data'] ?? {}) as Record<string, unknown>;
  const actor = (data['actor'] ?? {}) as Record<string, unknown>;
  const acting = show(actor['userId'] ?? event['principal']);
  const who =
    typeof actor['onBehalfOf'] === 'string'
      ? `${acting}→${actor['onBehalfOf']}${actor['impersonation'] === true ? ' (impersonation)' : ''}`
      : acting;
  const type = show(event['type'])
    .replace(/^fieldwise\.audit\./, '')
    .replace(/\.v\d+$/, '');
  const what =
    data['route'] ??
    data['rpc'] ??
    data['resource'] ??
    data['tool'] ??
    data['rule'] ??
    data['entity'];
  const outcome =
    data['decision'] ?? data['status'] ?? data['mode'] ?? data['operation'];
  const detail = [what, outcome]
    .filter((v) => v !== undefined)
    .map(show)
    .join(' ');
  return `${show(event['time'])} ${type} tenant=${show(event['tenant'] ?? actor['tenant'])} actor=${who} ${detail} id=${show(event['id'])} seq=${show(event['seq'])}\n`;
}

async function tail(
  source: AuditSourceSpec,
  filter: AuditFilter,
  follow: boolean,
  env: AuditCliEnvironment,
): Promise<number> {
  const print = (event: RawStoredEvent): void => {
    if (isAuditRecordEvent(event.value) && matchesFilter(event.value, filter))
      env.stdout(formatTailLine(event.value));
  };
  const signal = env.signal ?? new AbortController().signal;
  if (source.kind === 'kafka') {
    if (follow) {
      await readKafkaTopic(
        { ...source, logger: env.logger },
        { onEvent: print, signal },
      );
    } else {
      const { events } = await readKafkaTopic({
        ...source,
        logger: env.logger,
      });
      events.forEach(print);
    }
    return 0;
  }
  const from = new Map<string, number>();
  for (const path of source.paths) {
    const events = readOutboxEvents(path, source.topic);
    events.forEach(print);
    from.set(path, Number(events.at(-1)?.origin.position ?? 0));
  }
  if (follow)
    await followOutboxes(source.paths, source.topic, from, print, signal);
  return 0;
}
