import { ValidationError } from '@fieldwise/errors';
import type {
  ConsumptionSeries as ConsumptionSeriesMessage,
  CrmServiceService,
  MonthlyConsumption,
  UseCaseRecommendation as RecommendationMessage,
} from '@fieldwise/contracts';
import type { ServiceHandlers } from '@fieldwise/grpc';
import { z } from 'zod';
import {
  consumptionSeries,
  similarCustomers,
  supportCases,
  type SeriesPoint,
  type SupportCasesResult,
} from '../domain/index.js';
import { addMonths, monthOf } from '../domain/generator/calendar.js';
import { SEVERITIES } from '../domain/model.js';
import { parseInput } from '../domain/validation.js';
import { encodeSupportCase, growthFraction, money } from './encode-records.js';
import { SEVERITY_FROM_PROTO, severityToProto } from './enum-maps.js';
import { asOf, scopeOf, type CrmHandlerDeps } from './handler-deps.js';
import { pageInfo, pageOf, resolvePage } from './paging.js';
import { fromEnum, optionalNumber, optionalText } from './request-fields.js';
import {
  supportSeverityToJSON,
  type SupportSeverity,
} from '@fieldwise/contracts';

type InsightHandlers = Pick<
  ServiceHandlers<typeof CrmServiceService>,
  'getConsumption' | 'getSupportCases' | 'getSimilarCustomers'
>;

/** The domain's longest consumption window. */
const MAX_MONTHS = 36;
/** Closed cases look back this far unless the request says otherwise. */
const DEFAULT_SINCE_DAYS = 90;

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

/**
 * Account insights: consumption series, support cases and similar
 * customers, each for one account the caller can see.
 */
export function insightHandlers(deps: CrmHandlerDeps): InsightHandlers {
  const { crm } = deps;
  const vocabulary = crm.vocabulary;
  const consumptionSchema = z.object({
    fromMonth: month.optional(),
    toMonth: month.optional(),
    productLines: z
      .array(
        z.enum(
          vocabulary.productLines.map((p) => p.id) as [string, ...string[]],
        ),
      )
      .max(20),
    clouds: z.array(z.enum(vocabulary.clouds as [string, ...string[]])).max(20),
  });

  return {
    async getConsumption(request, ctx) {
      const scope = scopeOf(ctx);
      const input = parseInput(consumptionSchema, {
        fromMonth: optionalText(request.fromMonth),
        toMonth: optionalText(request.toMonth),
        productLines: request.productLines,
        clouds: request.clouds,
      });
      const lastMonth = addMonths(monthOf(asOf(deps)), -1);
      const to = input.toMonth ?? lastMonth;
      const from = input.fromMonth ?? addMonths(to, -11);
      const months = monthsFrom(from, lastMonth);
      const violations = [
        ...(to > lastMonth
          ? [
              {
                field: 'toMonth',
                message: `must not be after ${lastMonth}, the latest complete month`,
              },
            ]
          : []),
        ...(from > to
          ? [{ field: 'fromMonth', message: 'must not be after toMonth' }]
          : []),
        ...(months > MAX_MONTHS
          ? [
              {
                field: 'fromMonth',
                message: `must be within ${MAX_MONTHS} months of ${lastMonth}`,
              },
            ]
          : []),
      ];
      if (violations.length > 0) throw new ValidationError(violations);
      const inRange = (points: readonly SeriesPoint[]) =>
        points.filter((p) => p.month >= from && p.month <= to);
      const clouds =
        input.clouds.length > 0
          ? [...new Set(input.clouds)]
          : vocabulary.clouds;
      const lines = new Set(input.productLines);
      const series: ConsumptionSeriesMessage[] = [];
      for (const cloud of clouds) {
        const result = await consumptionSeries(crm, scope, {
          accountId: request.accountId,
          months,
          groupBy: 'productLine',
          cloud,
        });
        for (const s of result.series) {
          if (lines.size > 0 && !lines.has(s.key)) continue;
          const points = inRange(s.points);
          if (points.every((p) => p.amountUsd === 0)) continue;
          series.push({
            productLine: s.key,
            cloud,
            months: points.map(encodePoint),
          });
        }
      }
      series.sort(
        (a, b) =>
          a.productLine.localeCompare(b.productLine) ||
          a.cloud.localeCompare(b.cloud),
      );
      return {
        accountId: request.accountId,
        series,
        total: await total(),
      };

      // One filter value per dimension at most: the domain totals it with
      // exact growth. Several: the selected series are summed, and growth
      // is given only where the base month lies inside the range.
      async function total(): Promise<MonthlyConsumption[]> {
        const productLines = [...lines];
        if (productLines.length <= 1 && input.clouds.length <= 1) {
          const result = await consumptionSeries(crm, scope, {
            accountId: request.accountId,
            months,
            groupBy: 'total',
            ...(productLines[0] === undefined
              ? {}
              : { productLine: productLines[0] }),
            ...(input.clouds[0] === undefined
              ? {}
              : { cloud: input.clouds[0] }),
          });
          const points = inRange(result.series[0]?.points ?? []);
          return points.length > 0
            ? points.map(encodePoint)
            : zeroMonths(from, to);
        }
        const sums = new Map<string, number>();
        for (const s of series)
          for (const p of s.months)
            sums.set(
              p.month,
              (sums.get(p.month) ?? 0) + (p.amount?.amountMicros ?? 0),
            );
        return zeroMonths(from, to).map((m) => {
          const amount = sums.get(m.month) ?? 0;
          const mom = growth(amount, sums.get(addMonths(m.month, -1)));
          const yoy = growth(amount, sums.get(addMonths(m.month, -12)));
          return {
            month: m.month,
            amount: { currencyCode: 'USD', amountMicros: amount },
            ...(mom === undefined ? {} : { momGrowth: mom }),
            ...(yoy === undefined ? {} : { yoyGrowth: yoy }),
          };
        });
      }
    },

    async getSupportCases(request, ctx) {
      const scope = scopeOf(ctx);
      const severities = new Set(
        request.severities.map((s, i) =>
          fromEnum(`severities.${i}`, s, SEVERITY_FROM_PROTO, (v) =>
            supportSeverityToJSON(v as SupportSeverity),
          ),
        ),
      );
      const sinceDays = optionalNumber(request.sinceDays) ?? DEFAULT_SINCE_DAYS;
      const page = resolvePage(request.page, {
        accountId: request.accountId,
        includeClosed: request.includeClosed,
        sinceDays,
        severities: [...severities].sort(),
      });
      const open = await supportCases(crm, scope, {
        accountId: request.accountId,
        status: 'open',
      });
      // Closed cases only within the look-back; open ones whatever their age.
      const recent: SupportCasesResult | undefined = request.includeClosed
        ? await supportCases(crm, scope, {
            accountId: request.accountId,
            status: 'all',
            sinceDays,
          })
        : undefined;
      const seen = new Set(open.items.map((c) => c.id));
      const cases = [
        ...open.items,
        ...(recent?.items.filter((c) => !seen.has(c.id)) ?? []),
      ]
        .filter((c) => severities.size === 0 || severities.has(c.severity))
        .sort(
          (a, b) =>
            a.severity.localeCompare(b.severity) ||
            b.openedAt.localeCompare(a.openedAt) ||
            a.id.localeCompare(b.id),
        );
      return {
        cases: pageOf(cases, page).map(encodeSupportCase),
        openBySeverity: SEVERITIES.map((s) => ({
          severity: severityToProto(s),
          count: open.countsBySeverity[s],
        })),
        page: pageInfo(page, cases.length),
      };
    },

    async getSimilarCustomers(request, ctx) {
      const limit = optionalNumber(request.limit) ?? 5;
      const useCaseLimit = optionalNumber(request.useCaseLimit) ?? 5;
      const checked = parseInput(
        z.object({
          limit: z.number().int().min(1).max(20),
          useCaseLimit: z.number().int().min(1).max(20),
        }),
        { limit, useCaseLimit },
      );
      const result = await similarCustomers(crm, scopeOf(ctx), {
        accountId: request.accountId,
        limit: checked.limit,
        // The widest list, so grouping by kind of use case has material.
        recommendations: 50,
      });
      const grouped = new Map<
        string,
        RecommendationMessage & { micros: number }
      >();
      for (const r of result.recommendations) {
        const key = `${r.productLine}\u0000${r.useCaseName}`;
        const entry = grouped.get(key) ?? {
          category: r.useCaseName,
          productLine: r.productLine,
          micros: 0,
          liveAtAccountIds: [],
          reason: r.reason,
        };
        entry.micros += money(r.estMonthlyRevenueUsd * 12).amountMicros;
        if (!entry.liveAtAccountIds.includes(r.accountId))
          entry.liveAtAccountIds.push(r.accountId);
        grouped.set(key, entry);
      }
      return {
        similarAccounts: result.similar.map((s) => ({
          account: {
            id: s.accountId,
            name: s.name,
            domain: '',
            industry: s.industry ?? '',
            segment: '',
            territory: '',
            region: '',
            ownerUserId: '',
            ownerName: '',
          },
          similarity: s.similarity,
          reasons: [...s.reasons],
        })),
        recommendedUseCases: [...grouped.values()]
          .sort(
            (a, b) =>
              b.micros - a.micros || a.category.localeCompare(b.category),
          )
          .slice(0, checked.useCaseLimit)
          .map(({ micros, ...r }) => ({
            ...r,
            revenue: { currencyCode: 'USD', amountMicros: micros },
            reason:
              r.liveAtAccountIds.length > 1
                ? `Live at ${r.liveAtAccountIds.length} similar accounts. ${r.reason}`
                : r.reason,
          })),
      };
    },
  };
}

function encodePoint(p: SeriesPoint): MonthlyConsumption {
  const mom = growthFraction(p.momGrowthPct);
  const yoy = growthFraction(p.yoyGrowthPct);
  return {
    month: p.month,
    amount: money(p.amountUsd),
    ...(mom === undefined ? {} : { momGrowth: mom }),
    ...(yoy === undefined ? {} : { yoyGrowth: yoy }),
  };
}

/** Months from `from` through `to`, inclusive. */
function monthsFrom(from: string, to: string): number {
  const [fy = 0, fm = 0] = from.split('-').map(Number);
  const [ty = 0, tm = 0] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

function zeroMonths(from: string, to: string): MonthlyConsumption[] {
  const out: MonthlyConsumption[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1))
    out.push({ month: m, amount: money(0) });
  return out;
}

function growth(
  current: number,
  previous: number | undefined,
): number | undefined {
  if (previous === undefined || previous === 0) return undefined;
  return Math.round(((current - previous) / previous) * 1000) / 1000;
}
