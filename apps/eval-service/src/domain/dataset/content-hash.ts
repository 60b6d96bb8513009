import { createHash } from 'node:crypto';
import type { EvalCase } from './eval-case.js';
import { canonicalJson } from './jsonl.js';

/**
 * SHA-256 (hex) of a version's cases: their canonical JSON, in dataset
 * order. Equal content gives an equal hash whatever the key order or
 * whitespace of the source file; reordering cases changes it.
 */
export function contentHash(cases: readonly EvalCase[]): string {
  const hash = createHash('sha256');
  for (const c of cases) hash.update(canonicalJson(c)).update('\n');
  return hash.digest('hex');
}
