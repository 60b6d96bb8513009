import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One labelled row of a JSONL fixture. */
export interface LabelledRow {
  readonly label: 'attack' | 'benign' | 'pii' | 'lookalike';
  readonly kind: string;
  readonly text: string;
  readonly lang?: string;
  readonly value?: string;
}

/** Reads a JSONL fixture from `test/fixtures`. */
export function loadFixture(name: string): LabelledRow[] {
  const path = join(import.meta.dirname, '..', 'fixtures', name);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledRow);
}

/** A ratio as a percentage with one decimal, for assertion messages. */
export const pct = (n: number, d: number): string =>
  `${((100 * n) / d).toFixed(1)}%`;
