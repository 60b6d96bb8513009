import { NotFoundError } from '@fieldwise/errors';
import { z } from 'zod';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import { addMonths, monthOf } from '../generator/calendar.js';
import {
  SEVERITIES,
  type CompetitorPresentRecord,
  type NewsItemRecord,
  type OpportunityRecord,
  type Severity,
  type SupportCaseRecord,
  type UseCaseRecord,
} from '../model.js';
import { parseInput } from '../validation.js';
import { idSchema } from './common-inputs.js';
import { growthPct, sumByKeyAndMonth } from './consumption-math.js';
import { productLineName, today, type CrmDeps } from './deps.js';

/** Input of {@link account360}. */
export const account360InputSchema = z.object({
  accountId: idSchema,
  topUseCases: z.number().int().min(1).max(50).default(5),
  newsLimit: z.number().int().min(1).max(50).default(5),
});

/** Last complete month's spend on one product line or cloud, with growth. */
export interface ConsumptionBreakdown {
  readonly key: string;
  readonly label: string;
  readonly lastMonthUsd: number;
  readonly previousMonthUsd: number;
  readonly momGrowthPct: number | null;
  readonly yoyGrowthPct: number | null;
  readonly trailing12MonthsUsd: number;
}

/** The account 360 view. */
export interface Account360 {
  readonly account: {
    readonly id: string;
    readonly name: string;
    readonly domain: string | null;
    readonly industry: string | null;
    readonly segment: string | null;
    readonly employees: number | null;
    readonly country: string | null;
    readonly type: string | null;
    readonly territory: { id: string; name: string; region: string } | null;
    readonly createdAt: string | null;
  };
  readonly owner: { id: string; name: string; email: string } | null;
  readonly arrUsd: number;
  readonly openOpportunities: readonly OpportunityRecord[];
  readonly topUseCases: readonly UseCaseRecord[];
  readonly consumption: {
    readonly lastMonth: string;
    readonly totalLastMonthUsd: number;
    readonly momGrowthPct: number | null;
    readonly yoyGrowthPct: number | null;
    readonly byProductLine: readonly ConsumptionBreakdown[];
    readonly byCloud: readonly ConsumptionBreakdown[];
  };
  readonly supportCases: {
    readonly openBySeverity: Readonly<Record<Severity, number>>;
    readonly open: readonly SupportCaseRecord[];
  };
  readonly recentNews: readonly NewsItemRecord[];
  readonly competitors: readonly CompetitorPresentRecord[];
}

/**
 * Everything a seller needs before a call, for one visible account. An
 * account outside the caller's scope is reported as NOT_FOUND, exactly like
 * a missing one.
 */
export async function account360(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof account360InputSchema>,
): Promise<Account360> {
  const { accountId, topUseCases, newsLimit } = parseInput(
    account360InputSchema,
    input,
  );
  const access = await resolveAccess(deps.store, scope);
  const account = await deps.store.getAccount(access, accountId);
  if (!account) throw new NotFoundError('account', accountId);
  const lastMonth = addMonths(monthOf(today(deps)), -1);
  const [
    territories,
    owner,
    opportunities,
    useCases,
    consumption,
    cases,
    news,
    competitors,
  ] = await Promise.all([
    deps.store.listTerritories(access.tenant),
    account.ownerId
      ? deps.store.findUser(access.tenant, account.ownerId)
      : undefined,
    deps.store.listOpportunities(access, { accountId, openOnly: true }),
    deps.store.listUseCases(access, { accountId }),
    deps.store.listConsumption(access, {
      accountId,
      fromMonth: addMonths(lastMonth, -23),
      toMonth: lastMonth,
    }),
    deps.store.listSupportCases(access, { accountId, openOnly: true }),
    deps.store.listNews(access, accountId, newsLimit),
    deps.store.listCompetitors(access, accountId),
  ]);
  const territory = territories.find((t) => t.id === account.territoryId);
  const breakdown = (
    keyOf: (r: (typeof consumption)[number]) => string,
    label: (k: string) => string,
  ) =>
    [...sumByKeyAndMonth(consumption, keyOf)]
      .map(([key, byMonth]) => summarize(key, label(key), byMonth, lastMonth))
      .sort(
        (a, b) => b.lastMonthUsd - a.lastMonthUsd || a.key.localeCompare(b.key),
      );
  const total =
    sumByKeyAndMonth(consumption, () => 'total').get('total') ??
    new Map<string, number>();
  const totalSummary = summarize('total', 'Total', total, lastMonth);
  const openBySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, 0]),
  ) as Record<Severity, number>;
  for (const c of cases) openBySeverity[c.severity] += 1;
  return {
    account: {
      id: account.id,
      name: account.name,
      domain: account.domain,
      industry: account.industry,
      segment: account.segment,
      employees: account.employees,
      country: account.country,
      type: account.accountType,
      territory: territory
        ? { id: territory.id, name: territory.name, region: territory.region }
        : null,
      createdAt: account.createdAt,
    },
    owner: owner
      ? { id: owner.id, name: owner.name, email: owner.email }
      : null,
    arrUsd: account.arrUsd,
    openOpportunities: opportunities,
    topUseCases: useCases.slice(0, topUseCases),
    consumption: {
      lastMonth,
      totalLastMonthUsd: totalSummary.lastMonthUsd,
      momGrowthPct: totalSummary.momGrowthPct,
      yoyGrowthPct: totalSummary.yoyGrowthPct,
      byProductLine: breakdown(
        (r) => r.productLine,
        (k) => productLineName(deps, k),
      ),
      byCloud: breakdown(
        (r) => r.cloud,
        (k) => k,
      ),
    },
    supportCases: { openBySeverity, open: cases },
    recentNews: news,
    competitors,
  };
}

function summarize(
  key: string,
  label: string,
  byMonth: ReadonlyMap<string, number>,
  lastMonth: string,
): ConsumptionBreakdown {
  const last = byMonth.get(lastMonth) ?? 0;
  const previous = byMonth.get(addMonths(lastMonth, -1));
  let trailing = 0;
  for (let i = 0; i < 12; i++)
    trailing += byMonth.get(addMonths(lastMonth, -i)) ?? 0;
  return {
    key,
    label,
    lastMonthUsd: last,
    previousMonthUsd: previous ?? 0,
    momGrowthPct: growthPct(last, previous),
    yoyGrowthPct: growthPct(last, byMonth.get(addMonths(lastMonth, -12))),
    trailing12MonthsUsd: trailing,
  };
}
