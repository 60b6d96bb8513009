import { ValidationError } from '@fieldwise/errors';
import type { MetricSummary } from '../model.js';

/**
 * A bound on an aggregate. `metric` is a metric name (its mean is
 * compared) or `<name>_p95`, `<name>_max`, `<name>_min` or
 * `<name>_pass_rate` for that statistic.
 */
export interface Threshold {
  readonly metric: string;
  readonly min?: number;
  readonly max?: number;
}

/** How one threshold fared; `actual` is absent when the metric was not measured (which fails). */
export interface ThresholdResult {
  readonly threshold: Threshold;
  readonly actual?: number;
  readonly passed: boolean;
}

const STATISTICS = ['p95', 'max', 'min', 'pass_rate'] as const;

/** Checks every threshold against a run's aggregates; a missing metric fails its threshold. */
export function evaluateThresholds(
  summaries: readonly MetricSummary[],
  thresholds: readonly Threshold[],
): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const actual = statisticOf(summaries, threshold.metric);
    if (actual === undefined) return { threshold, passed: false };
    const passed =
      (threshold.min === undefined || actual >= threshold.min) &&
      (threshold.max === undefined || actual <= threshold.max);
    return { threshold, actual, passed };
  });
}

function statisticOf(
  summaries: readonly MetricSummary[],
  metric: string,
): number | undefined {
  const direct = summaries.find((s) => s.name === metric);
  if (direct) return direct.mean;
  for (const stat of STATISTICS) {
    const suffix = `_${stat}`;
    if (!metric.endsWith(suffix)) continue;
    const summary = summaries.find(
      (s) => s.name === metric.slice(0, -suffix.length),
    );
    if (!summary) return undefined;
    if (stat === 'pass_rate') return summary.passRate;
    return summary[stat];
  }
  return undefined;
}

/**
 * Parses `name=value,name=value` (as in `--fail-under tool_selection=0.9`)
 * into thresholds with `bound` set to each value. Malformed input is
 * VALIDATION_FAILED naming the bad entry.
 */
export function parseThresholdList(
  text: string,
  bound: 'min' | 'max',
): Threshold[] {
  const thresholds: Threshold[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const match = /^([a-z][a-z0-9_]*)=(-?\d+(?:\.\d+)?)$/.exec(entry);
    if (!match) {
      throw new ValidationError([
        {
          field: bound === 'min' ? 'fail-under' : 'fail-over',
          message: `'${entry}' is not name=number`,
        },
      ]);
    }
    thresholds.push({ metric: match[1] as string, [bound]: Number(match[2]) });
  }
  return thresholds;
}
