import { isDeepStrictEqual } from 'node:util';
import type { ArgumentRule, ExpectedTools } from '../dataset/eval-case.js';
import type { ActualToolCall, MetricValue } from '../model.js';

/** One expected argument that did not match. */
export interface ArgumentMismatch {
  readonly tool: string;
  readonly path: string;
  readonly expected: ArgumentRule;
  /** The actual value, or undefined when the tool or the key was absent. */
  readonly actual: unknown;
}

/**
 * `argument_correctness`: the share of expected argument rules satisfied.
 * For each expected call, the actual call of that tool satisfying the most
 * rules is used; a tool never called satisfies none. Returns undefined when
 * the case names no expected argument (nothing to measure).
 */
export function scoreArgumentCorrectness(
  expected: ExpectedTools,
  actual: readonly ActualToolCall[],
): MetricValue | undefined {
  let total = 0;
  let satisfied = 0;
  const mismatches: ArgumentMismatch[] = [];
  for (const call of expected.calls) {
    const rules = Object.entries(call.arguments);
    if (rules.length === 0) continue;
    total += rules.length;
    const candidates = actual.filter((a) => a.name === call.name);
    let best: ArgumentMismatch[] | undefined;
    for (const candidate of candidates) {
      const misses = rules
        .filter(
          ([path, rule]) =>
            !matchesRule(getPath(candidate.arguments, path), rule),
        )
        .map(([path, rule]) => ({
          tool: call.name,
          path,
          expected: rule,
          actual: getPath(candidate.arguments, path),
        }));
      if (best === undefined || misses.length < best.length) best = misses;
    }
    best ??= rules.map(([path, rule]) => ({
      tool: call.name,
      path,
      expected: rule,
      actual: undefined,
    }));
    satisfied += rules.length - best.length;
    mismatches.push(...best);
  }
  if (total === 0) return undefined;
  return {
    name: 'argument_correctness',
    value: satisfied / total,
    judge: 'deterministic',
    passed: satisfied === total,
    explanation:
      mismatches.length === 0
        ? `${total} argument(s) matched`
        : mismatches
            .map(
              (m) =>
                `${m.tool}.${m.path}: expected ${describeRule(m.expected)}, got ${JSON.stringify(m.actual) ?? 'nothing'}`,
            )
            .join('; '),
    details: { total, satisfied, mismatches },
  };
}

/** True when `actual` satisfies `rule` (see `ArgumentRuleSchema` for the semantics). */
export function matchesRule(actual: unknown, rule: ArgumentRule): boolean {
  if (rule === null || typeof rule !== 'object') return sameJson(actual, rule);
  switch (rule.match) {
    case 'exact':
      return sameJson(actual, rule.value);
    case 'case-insensitive':
      return typeof actual === 'string' && fold(actual) === fold(rule.value);
    case 'contains':
      return (
        typeof actual === 'string' && fold(actual).includes(fold(rule.value))
      );
    case 'one-of':
      return rule.values.some((v) =>
        typeof v === 'string' && typeof actual === 'string'
          ? fold(actual) === fold(v)
          : sameJson(actual, v),
      );
  }
}

function sameJson(actual: unknown, expected: unknown): boolean {
  return isDeepStrictEqual(actual, expected);
}

function fold(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (
      current === null ||
      typeof current !== 'object' ||
      Array.isArray(current)
    )
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function describeRule(rule: ArgumentRule): string {
  if (rule === null || typeof rule !== 'object') return JSON.stringify(rule);
  if (rule.match === 'one-of') return `one of ${JSON.stringify(rule.values)}`;
  return `${rule.match} ${JSON.stringify(rule.value)}`;
}
