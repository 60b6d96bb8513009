import type { CaseResult, MetricSummary, RunProgress } from '../model.js';

/**
 * Aggregates each metric over the results that measured it (errored cases
 * measure nothing): mean, min, max, nearest-rank p95, count, and the pass
 * rate for metrics with a pass criterion. Sorted by metric name.
 */
export function summarizeMetrics(
  results: readonly CaseResult[],
): MetricSummary[] {
  const values = new Map<
    string,
    { values: number[]; passed: number; judged: number }
  >();
  for (const result of results) {
    for (const metric of result.metrics) {
      const entry = values.get(metric.name) ?? {
        values: [],
        passed: 0,
        judged: 0,
      };
      entry.values.push(metric.value);
      if (metric.passed !== undefined) {
        entry.judged += 1;
        if (metric.passed) entry.passed += 1;
      }
      values.set(metric.name, entry);
    }
  }
  return [...values.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entry]) => {
      const sorted = [...entry.values].sort((a, b) => a - b);
      const summary: MetricSummary = {
        name,
        mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
        min: sorted[0] ?? 0,
        max: sorted[sorted.length - 1] ?? 0,
        p95: percentile(sorted, 0.95),
        count: sorted.length,
        ...(entry.judged > 0 ? { passRate: entry.passed / entry.judged } : {}),
      };
      return summary;
    });
}

/** Nearest-rank percentile of ascending values (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}

/** Progress counts of a run from its results. */
export function progressOf(
  totalCases: number,
  results: readonly CaseResult[],
): RunProgress {
  return {
    totalCases,
    completedCases: results.length,
    failedCases: results.filter((r) => r.outcome === 'failed').length,
    erroredCases: results.filter((r) => r.outcome === 'errored').length,
  };
}
