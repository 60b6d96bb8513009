import type { ExpectedTools } from '../dataset/eval-case.js';
import type { ActualToolCall, MetricValue } from '../model.js';

/**
 * `tool_selection`: were the expected tools called? The value is recall of
 * the expected tool names when extra tools are allowed, else the Jaccard
 * index of expected and actual names. Passes when every expected tool was
 * called and, unless extras are allowed, nothing else was.
 */
export function scoreToolSelection(
  expected: ExpectedTools,
  actual: readonly ActualToolCall[],
): MetricValue {
  const want = new Set(expected.calls.map((c) => c.name));
  const got = new Set(actual.map((c) => c.name));
  const missing = [...want].filter((n) => !got.has(n));
  const extra = [...got].filter((n) => !want.has(n));
  const hit = want.size - missing.length;
  let value: number;
  if (expected.allowExtra) {
    value = want.size === 0 ? 1 : hit / want.size;
  } else {
    const union = want.size + extra.length;
    value = union === 0 ? 1 : hit / union;
  }
  const passed =
    missing.length === 0 && (expected.allowExtra || extra.length === 0);
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing: ${missing.join(', ')}`);
  if (extra.length > 0)
    parts.push(
      `${expected.allowExtra ? 'also called' : 'unexpected'}: ${extra.join(', ')}`,
    );
  return {
    name: 'tool_selection',
    value,
    judge: 'deterministic',
    passed,
    explanation:
      parts.length === 0 ? 'all expected tools called' : parts.join('; '),
    details: {
      expected: [...want],
      actual: actual.map((c) => c.name),
      missing,
      extra,
    },
  };
}

/**
 * `tool_order` (sequence cases only): the longest common subsequence of the
 * expected and actual tool-name sequences over the expected length. Other
 * calls in between are allowed; passes when the whole expected sequence
 * appears in order.
 */
export function scoreToolOrder(
  expected: ExpectedTools,
  actual: readonly ActualToolCall[],
): MetricValue {
  const want = expected.calls.map((c) => c.name);
  const got = actual.map((c) => c.name);
  const common = lcsLength(want, got);
  const value = want.length === 0 ? 1 : common / want.length;
  return {
    name: 'tool_order',
    value,
    judge: 'deterministic',
    passed: common === want.length,
    explanation:
      common === want.length
        ? `called in order: ${want.join(' → ')}`
        : `expected order ${want.join(' → ')}, got ${got.join(' → ') || '(no calls)'}`,
  };
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] ?? 0);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
