import { EvalCaseSchema, type EvalCase } from './eval-case.js';

/** A JSONL line that could not be imported. */
export interface ImportLineError {
  /** 1-based line number in the input. */
  readonly line: number;
  /** Why, naming the offending field where there is one. */
  readonly message: string;
}

/** What parsing a JSONL text gave: the valid cases in order, and every bad line. */
export interface ParsedCases {
  readonly cases: readonly EvalCase[];
  readonly errors: readonly ImportLineError[];
}

/** Longest accepted line; longer lines are reported, not parsed. */
export const MAX_LINE_CHARS = 200_000;

/**
 * Parses one {@link EvalCase} per line, validating each with zod. Blank
 * lines are ignored. A bad line (not JSON, schema violation, or an id
 * already used by an earlier line) is reported with its line number and
 * reason; the other lines still parse. Never throws on bad input.
 */
export function parseCasesJsonl(text: string): ParsedCases {
  const cases: EvalCase[] = [];
  const errors: ImportLineError[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.length > MAX_LINE_CHARS) {
      errors.push({
        line,
        message: `line longer than ${MAX_LINE_CHARS} characters`,
      });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      errors.push({
        line,
        message: `invalid JSON: ${(error as Error).message}`,
      });
      return;
    }
    const parsed = EvalCaseSchema.safeParse(json);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((issue) => {
          const path = issue.path.map(String).join('.');
          return `${path === '' ? '(root)' : path}: ${issue.message}`;
        })
        .join('; ');
      errors.push({ line, message });
      return;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      errors.push({
        line,
        message: `id: duplicate case id '${parsed.data.id}' (first on line ${first})`,
      });
      return;
    }
    seen.set(parsed.data.id, line);
    cases.push(parsed.data);
  });
  return { cases, errors };
}

/**
 * Writes cases as JSONL, one canonical (key-sorted) object per line, ending
 * with a newline. `parseCasesJsonl(exportCasesJsonl(c)).cases` equals `c`.
 */
export function exportCasesJsonl(cases: readonly EvalCase[]): string {
  return cases.map((c) => canonicalJson(c) + '\n').join('');
}

/**
 * JSON with object keys sorted at every level, so equal content always
 * serializes to the same text (the basis of dataset content hashes).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
