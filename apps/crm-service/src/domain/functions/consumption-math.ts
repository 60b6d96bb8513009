import type { ConsumptionRecord } from '../model.js';
import { addMonths } from '../generator/calendar.js';

/** Percentage change from `previous` to `current`, one decimal; null without a base. */
export function growthPct(
  current: number,
  previous: number | undefined,
): number | null {
  if (previous === undefined || previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

/** One month of a series with its growth. */
export interface SeriesPoint {
  readonly month: string;
  readonly amountUsd: number;
  readonly momGrowthPct: number | null;
  readonly yoyGrowthPct: number | null;
}

/** Sums rows per month under `keyOf`, returning key → month → amount. */
export function sumByKeyAndMonth(
  rows: readonly ConsumptionRecord[],
  keyOf: (row: ConsumptionRecord) => string,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const key = keyOf(row);
    const months = out.get(key) ?? new Map<string, number>();
    months.set(row.month, (months.get(row.month) ?? 0) + row.amountUsd);
    out.set(key, months);
  }
  return out;
}

/** Points for `months` ending at `lastMonth`, zero-filled, with MoM and YoY growth. */
export function seriesPoints(
  byMonth: ReadonlyMap<string, number>,
  lastMonth: string,
  months: number,
): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const month = addMonths(lastMonth, -i);
    const amount = byMonth.get(month) ?? 0;
    points.push({
      month,
      amountUsd: amount,
      momGrowthPct: growthPct(amount, byMonth.get(addMonths(month, -1))),
      yoyGrowthPct: growthPct(amount, byMonth.get(addMonths(month, -12))),
    });
  }
  return points;
}
