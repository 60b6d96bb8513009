import { z } from 'zod';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import { addDays } from '../generator/calendar.js';
import { parseInput } from '../validation.js';
import { today, type CrmDeps } from './deps.js';

/** Input of {@link hygieneAlerts}. */
export const hygieneAlertsInputSchema = z.object({
  /** Days ahead for "going live soon". */
  horizonDays: z.number().int().min(1).max(365).default(90),
  /** Most items returned per list (counts are always complete). */
  limit: z.number().int().min(1).max(500).default(50),
});

/** A use case in an alert list. */
export interface UseCaseAlert {
  readonly useCaseId: string;
  readonly name: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly productLine: string;
  readonly stage: string;
  readonly goLiveDate: string | null;
  readonly estMonthlyRevenueUsd: number;
  readonly blockers: string | null;
  readonly hasExecutiveSponsor: boolean;
}

/** A record lacking fields a forecast or a handover needs. */
export interface MissingFieldsAlert {
  readonly entity: 'account' | 'opportunity' | 'use_case';
  readonly id: string;
  readonly name: string;
  readonly missing: readonly string[];
}

/** An open opportunity whose close date has passed. */
export interface PastCloseDateAlert {
  readonly opportunityId: string;
  readonly name: string;
  readonly accountId: string;
  readonly stage: string;
  readonly closeDate: string;
  readonly daysOverdue: number;
  readonly ownerId: string | null;
}

/** A counted list truncated to `limit` items. */
export interface AlertList<T> {
  readonly total: number;
  readonly items: readonly T[];
}

/** Scope-wide data hygiene alerts. */
export interface HygieneAlerts {
  readonly today: string;
  readonly horizonEnd: string;
  readonly goingLive: AlertList<UseCaseAlert>;
  readonly topBlockers: readonly {
    blocker: string;
    count: number;
    estMonthlyRevenueUsd: number;
  }[];
  readonly missingExecutiveSponsor: AlertList<UseCaseAlert>;
  readonly missingFields: AlertList<MissingFieldsAlert>;
  readonly pastCloseDates: AlertList<PastCloseDateAlert>;
}

/**
 * Across everything the caller may see: use cases going live within the
 * horizon, the most common blockers, open use cases without an executive
 * sponsor, records missing key fields, and open opportunities past their
 * close date.
 */
export async function hygieneAlerts(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof hygieneAlertsInputSchema>,
): Promise<HygieneAlerts> {
  const { horizonDays, limit } = parseInput(hygieneAlertsInputSchema, input);
  const access = await resolveAccess(deps.store, scope);
  const now = today(deps);
  const horizonEnd = addDays(now, horizonDays);
  const [accounts, openUseCases, openOpportunities] = await Promise.all([
    deps.store.listAccountIndex(access),
    deps.store.listUseCases(access, { live: false }),
    deps.store.listOpportunities(access, { openOnly: true }),
  ]);
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const alert = (u: (typeof openUseCases)[number]): UseCaseAlert => ({
    useCaseId: u.id,
    name: u.name,
    accountId: u.accountId,
    accountName: accountName.get(u.accountId) ?? u.accountId,
    productLine: u.productLine,
    stage: u.stage,
    goLiveDate: u.goLiveDate,
    estMonthlyRevenueUsd: u.estMonthlyRevenueUsd,
    blockers: u.blockers,
    hasExecutiveSponsor: u.executiveSponsorId !== null,
  });
  const list = <T>(items: T[]): AlertList<T> => ({
    total: items.length,
    items: items.slice(0, limit),
  });

  const goingLive = openUseCases
    .filter(
      (u) =>
        u.goLiveDate !== null &&
        u.goLiveDate >= now &&
        u.goLiveDate <= horizonEnd,
    )
    .sort(
      (a, b) =>
        (a.goLiveDate ?? '').localeCompare(b.goLiveDate ?? '') ||
        a.id.localeCompare(b.id),
    )
    .map(alert);

  const blockers = new Map<string, { count: number; revenue: number }>();
  for (const u of openUseCases) {
    if (u.blockers === null) continue;
    const entry = blockers.get(u.blockers) ?? { count: 0, revenue: 0 };
    entry.count += 1;
    entry.revenue += u.estMonthlyRevenueUsd;
    blockers.set(u.blockers, entry);
  }
  const topBlockers = [...blockers]
    .map(([blocker, e]) => ({
      blocker,
      count: e.count,
      estMonthlyRevenueUsd: e.revenue,
    }))
    .sort((a, b) => b.count - a.count || a.blocker.localeCompare(b.blocker))
    .slice(0, 10);

  const missingSponsor = openUseCases
    .filter((u) => u.executiveSponsorId === null)
    .sort(
      (a, b) =>
        b.estMonthlyRevenueUsd - a.estMonthlyRevenueUsd ||
        a.id.localeCompare(b.id),
    )
    .map(alert);

  const missing: MissingFieldsAlert[] = [];
  for (const a of accounts) {
    const fields = [
      a.industry === null ? 'industry' : null,
      a.domain === null ? 'domain' : null,
      a.ownerId === null ? 'owner' : null,
      a.segment === null ? 'segment' : null,
    ].filter((f): f is string => f !== null);
    if (fields.length > 0)
      missing.push({
        entity: 'account',
        id: a.id,
        name: a.name,
        missing: fields,
      });
  }
  for (const o of openOpportunities) {
    const fields = [
      o.amountCents === null ? 'amount' : null,
      o.closeDate === null ? 'closeDate' : null,
      o.nextStep === null || o.nextStep.trim() === '' ? 'nextStep' : null,
      o.ownerId === null ? 'owner' : null,
    ].filter((f): f is string => f !== null);
    if (fields.length > 0)
      missing.push({
        entity: 'opportunity',
        id: o.id,
        name: o.name,
        missing: fields,
      });
  }
  for (const u of openUseCases) {
    if (u.goLiveDate === null) {
      missing.push({
        entity: 'use_case',
        id: u.id,
        name: u.name,
        missing: ['goLiveDate'],
      });
    }
  }

  const pastCloseDates = openOpportunities
    .filter(
      (o): o is typeof o & { closeDate: string } =>
        o.closeDate !== null && o.closeDate < now,
    )
    .map((o) => ({
      opportunityId: o.id,
      name: o.name,
      accountId: o.accountId,
      stage: o.stage,
      closeDate: o.closeDate,
      daysOverdue: Math.round(
        (Date.parse(now) - Date.parse(o.closeDate)) / 86_400_000,
      ),
      ownerId: o.ownerId,
    }))
    .sort(
      (a, b) =>
        b.daysOverdue - a.daysOverdue ||
        a.opportunityId.localeCompare(b.opportunityId),
    );

  return {
    today: now,
    horizonEnd,
    goingLive: list(goingLive),
    topBlockers,
    missingExecutiveSponsor: list(missingSponsor),
    missingFields: list(missing),
    pastCloseDates: list(pastCloseDates),
  };
}
