import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { SqliteEvalStore } from '../../src/adapters/store/sqlite-eval-store.js';
import type { EvalStore } from '../../src/adapters/store/port.js';
import type { EvalDeps } from '../../src/domain/deps.js';
import {
  RecordingLineSchema,
  type RecordingLine,
} from '../../src/adapters/runner/agent-turn-schema.js';

export const silentLogger = pino({ level: 'silent' });

export const PACKAGE_ROOT = join(import.meta.dirname, '..', '..');
export const SAMPLE_DATASET = join(
  PACKAGE_ROOT,
  '..',
  '..',
  'data',
  'eval',
  'sample.jsonl',
);
export const GOOD_RECORDING = join(
  PACKAGE_ROOT,
  'test',
  'fixtures',
  'sample-good.recording.jsonl',
);

/** A fresh in-memory SQLite store. */
export function memoryStore(): Promise<SqliteEvalStore> {
  return SqliteEvalStore.open({ file: ':memory:', logger: silentLogger });
}

/** Deps with a deterministic clock (one second per call) and counter ids. */
export function testDeps(store: EvalStore): EvalDeps {
  let tick = Date.parse('2026-11-25T12:00:00.000Z');
  let n = 0;
  return {
    store,
    logger: silentLogger,
    now: () => new Date((tick += 1000)),
    newId: (prefix) => `${prefix}_${String(++n).padStart(4, '0')}`,
  };
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The recorded good agent outputs for data/eval/sample.jsonl. */
export function goodRecording(): RecordingLine[] {
  return readText(GOOD_RECORDING)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => RecordingLineSchema.parse(JSON.parse(l)));
}

/**
 * A degraded agent: drops the main tool of two cases, loses a fact,
 * fabricates a citation and leaks a forbidden fact.
 */
export function degradedRecording(): RecordingLine[] {
  return goodRecording().map((line) => {
    if ('error' in line) return line;
    switch (line.caseId) {
      case 'acme-call-prep':
        return {
          ...line,
          toolCalls: line.toolCalls.filter((c) => c.name !== 'account_360'),
        };
      case 'list-price-enterprise-credit':
        return {
          ...line,
          citations: [
            {
              ...line.citations[0]!,
              chunkId: 'c999',
              snippet: 'Enterprise is $2.50 per credit',
            },
          ],
          answer: 'On Enterprise edition one Lumen Credit lists at $2.50 [1].',
        };
      case 'floor-price-seller-denied':
        return {
          ...line,
          answer: 'The Enterprise floor is $1.86 per credit, 38% off list.',
        };
      case 'sakura-rail-case-study':
        return {
          ...line,
          answer:
            'Sakura Rail made fare reconciliation much faster with Lumen Stream [1].',
        };
      case 'globex-support-cases':
        return {
          ...line,
          toolCalls: line.toolCalls.filter((c) => c.name !== 'support_cases'),
        };
      default:
        return line;
    }
  });
}

export function toJsonl(lines: readonly unknown[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
