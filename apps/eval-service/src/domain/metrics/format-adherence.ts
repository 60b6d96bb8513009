import type { AgentTurn, MetricValue } from '../model.js';

/** Answer-shape limits; from the case's `format` or defaults. */
export interface FormatOptions {
  /** Longest acceptable answer in characters; default 4000. */
  readonly maxChars?: number;
}

/**
 * `format_adherence`: the share of these checks the answer passes —
 * non-empty; at most `maxChars`; every citation marker (`[n]` or `[^n]`)
 * resolves to one of the turn's citations; no raw JSON leaking (a JSON
 * object or array literal with a quoted key, or a ```json fence); no
 * unfilled template placeholder (`{{…}}`, `undefined`, `[object Object]`).
 */
export function scoreFormatAdherence(
  turn: Pick<AgentTurn, 'answer' | 'citations'>,
  options: FormatOptions = {},
): MetricValue {
  const maxChars = options.maxChars ?? 4000;
  const answer = turn.answer;
  const markers = [...answer.matchAll(/\[\^?(\d+)\]/g)].map((m) =>
    Number(m[1]),
  );
  const dangling = markers.filter((n) => n < 1 || n > turn.citations.length);
  const checks: { name: string; ok: boolean; why: string }[] = [
    { name: 'non_empty', ok: answer.trim() !== '', why: 'the answer is empty' },
    {
      name: 'length',
      ok: answer.length <= maxChars,
      why: `the answer has ${answer.length} characters (limit ${maxChars})`,
    },
    {
      name: 'citation_markers',
      ok: dangling.length === 0,
      why: `citation marker(s) ${[...new Set(dangling)].map((n) => `[${n}]`).join(', ')} resolve to no citation`,
    },
    {
      name: 'no_raw_json',
      ok: !/```json|\{\s*"[^"\n]{1,80}"\s*:|\[\s*\{\s*"/.test(answer),
      why: 'raw JSON leaks into the answer',
    },
    {
      name: 'no_placeholder',
      ok: !/\{\{[^}]*\}\}|\bundefined\b|\[object Object\]|\bNaN\b/.test(answer),
      why: 'an unfilled placeholder leaks into the answer',
    },
  ];
  const failed = checks.filter((c) => !c.ok);
  return {
    name: 'format_adherence',
    value: (checks.length - failed.length) / checks.length,
    judge: 'deterministic',
    passed: failed.length === 0,
    explanation:
      failed.length === 0
        ? 'all format checks passed'
        : failed.map((c) => c.why).join('; '),
    details: { failed: failed.map((c) => c.name) },
  };
}
