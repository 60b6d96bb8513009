import { NotFoundError } from '@fieldwise/errors';
import { z } from 'zod';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import { addMonths, monthOf } from '../generator/calendar.js';
import { parseInput } from '../validation.js';
import { idSchema } from './common-inputs.js';
import {
  seriesPoints,
  sumByKeyAndMonth,
  type SeriesPoint,
} from './consumption-math.js';
import { today, type CrmDeps } from './deps.js';

/** Input of {@link consumptionSeries}. */
export const consumptionSeriesInputSchema = z.object({
  accountId: idSchema,
  months: z.number().int().min(1).max(36).default(12),
  groupBy: z.enum(['productLine', 'cloud', 'total']).default('productLine'),
  productLine: z.string().max(64).optional(),
  cloud: z.string().max(32).optional(),
});

/** One series (a product line, a cloud, or the total). */
export interface ConsumptionSeries {
  readonly key: string;
  readonly points: readonly SeriesPoint[];
}

/** Monthly consumption of one account with MoM and YoY growth. */
export interface ConsumptionSeriesResult {
  readonly accountId: string;
  readonly lastMonth: string;
  readonly groupBy: 'productLine' | 'cloud' | 'total';
  readonly series: readonly ConsumptionSeries[];
}

/**
 * Monthly consumption for a visible account over the last `months` complete
 * months, grouped by product line, cloud or total, optionally filtered.
 */
export async function consumptionSeries(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof consumptionSeriesInputSchema>,
): Promise<ConsumptionSeriesResult> {
  const parsed = parseInput(consumptionSeriesInputSchema, input);
  const access = await resolveAccess(deps.store, scope);
  const account = await deps.store.getAccount(access, parsed.accountId);
  if (!account) throw new NotFoundError('account', parsed.accountId);
  const lastMonth = addMonths(monthOf(today(deps)), -1);
  const rows = (
    await deps.store.listConsumption(access, {
      accountId: account.id,
      // Twelve more months so the first point has a YoY base.
      fromMonth: addMonths(lastMonth, -(parsed.months - 1) - 12),
      toMonth: lastMonth,
    })
  ).filter(
    (r) =>
      (parsed.productLine === undefined ||
        r.productLine === parsed.productLine) &&
      (parsed.cloud === undefined || r.cloud === parsed.cloud),
  );
  const keyOf =
    parsed.groupBy === 'productLine'
      ? (r: (typeof rows)[number]) => r.productLine
      : parsed.groupBy === 'cloud'
        ? (r: (typeof rows)[number]) => r.cloud
        : () => 'total';
  const series = [...sumByKeyAndMonth(rows, keyOf)]
    .map(([key, byMonth]) => ({
      key,
      points: seriesPoints(byMonth, lastMonth, parsed.months),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return { accountId: account.id, lastMonth, groupBy: parsed.groupBy, series };
}
