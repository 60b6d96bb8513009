import { NotFoundError } from '@fieldwise/errors';
import { z } from 'zod';
import type { AccountIndexEntry } from '../../adapters/store/port.js';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import { addMonths, monthOf } from '../generator/calendar.js';
import { parseInput } from '../validation.js';
import { idSchema } from './common-inputs.js';
import { productLineName, today, type CrmDeps } from './deps.js';

/** How many of the most similar customers feed the recommendations. */
const RECOMMENDATION_PEERS = 20;

/** Input of {@link similarCustomers}. */
export const similarCustomersInputSchema = z.object({
  accountId: idSchema,
  limit: z.number().int().min(1).max(20).default(5),
  recommendations: z.number().int().min(1).max(50).default(10),
});

/** A similar customer and why. */
export interface SimilarCustomer {
  readonly accountId: string;
  readonly name: string;
  readonly industry: string | null;
  readonly employees: number | null;
  /** 0..1: 0.4 industry + 0.3 size + 0.3 consumption-mix cosine. */
  readonly similarity: number;
  readonly reasons: readonly string[];
}

/** A use case live at a similar customer on a product line this account lacks. */
export interface UseCaseRecommendation {
  readonly productLine: string;
  readonly productLineName: string;
  readonly useCaseId: string;
  readonly useCaseName: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly estMonthlyRevenueUsd: number;
  readonly reason: string;
}

/** The result of {@link similarCustomers}. */
export interface SimilarCustomersResult {
  readonly accountId: string;
  readonly similar: readonly SimilarCustomer[];
  readonly recommendations: readonly UseCaseRecommendation[];
}

/**
 * The visible customers most like this account (industry, size, consumption
 * mix over the last 12 complete months), and the use cases live there on
 * product lines this account neither runs live nor consumes, by revenue.
 * Candidates come only from the caller's scope.
 */
export async function similarCustomers(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof similarCustomersInputSchema>,
): Promise<SimilarCustomersResult> {
  const parsed = parseInput(similarCustomersInputSchema, input);
  const access = await resolveAccess(deps.store, scope);
  const target = await deps.store.getAccount(access, parsed.accountId);
  if (!target) throw new NotFoundError('account', parsed.accountId);
  const lastMonth = addMonths(monthOf(today(deps)), -1);
  const [index, totals, targetUseCases] = await Promise.all([
    deps.store.listAccountIndex(access),
    deps.store.consumptionTotals(access, addMonths(lastMonth, -11), lastMonth),
    deps.store.listUseCases(access, { accountId: target.id }),
  ]);
  const mix = new Map<string, Map<string, number>>();
  for (const t of totals) {
    const m = mix.get(t.accountId) ?? new Map<string, number>();
    m.set(t.productLine, t.amountUsd);
    mix.set(t.accountId, m);
  }
  const targetMix = mix.get(target.id) ?? new Map<string, number>();
  const scored = index
    .filter((candidate) => candidate.id !== target.id && mix.has(candidate.id))
    .map((candidate) =>
      score(candidate, target, targetMix, mix.get(candidate.id) ?? new Map()),
    )
    .sort(
      (a, b) =>
        b.similarity - a.similarity || a.accountId.localeCompare(b.accountId),
    );
  // Recommendations draw on a wider peer group than the list shown.
  const peers = scored.slice(0, Math.max(parsed.limit, RECOMMENDATION_PEERS));

  const present = new Set<string>([
    ...targetMix.keys(),
    ...targetUseCases.filter((u) => u.isLive).map((u) => u.productLine),
  ]);
  const liveUseCases = await deps.store.listUseCases(access, { live: true });
  const similarById = new Map(peers.map((s) => [s.accountId, s]));
  const recommendations = liveUseCases
    .filter((u) => similarById.has(u.accountId) && !present.has(u.productLine))
    .sort(
      (a, b) =>
        b.estMonthlyRevenueUsd - a.estMonthlyRevenueUsd ||
        a.id.localeCompare(b.id),
    )
    .slice(0, parsed.recommendations)
    .map((u): UseCaseRecommendation => {
      const peer = similarById.get(u.accountId);
      const name = productLineName(deps, u.productLine);
      return {
        productLine: u.productLine,
        productLineName: name,
        useCaseId: u.id,
        useCaseName: u.name,
        accountId: u.accountId,
        accountName: peer?.name ?? u.accountId,
        estMonthlyRevenueUsd: u.estMonthlyRevenueUsd,
        reason: `Live at ${peer?.name ?? u.accountId} (${(peer?.reasons ?? []).join('; ')}); ${target.name} has no live ${name} use case and no ${name} consumption.`,
      };
    });
  return {
    accountId: target.id,
    similar: scored.slice(0, parsed.limit),
    recommendations,
  };
}

function score(
  candidate: AccountIndexEntry,
  target: { industry: string | null; employees: number | null },
  targetMix: ReadonlyMap<string, number>,
  candidateMix: ReadonlyMap<string, number>,
): SimilarCustomer {
  const reasons: string[] = [];
  const industry =
    candidate.industry !== null && candidate.industry === target.industry
      ? 1
      : 0;
  if (industry === 1) reasons.push(`same industry (${candidate.industry})`);
  let size = 0;
  if (candidate.employees && target.employees) {
    const gap = Math.abs(
      Math.log10(candidate.employees) - Math.log10(target.employees),
    );
    size = Math.max(0, 1 - gap / 2);
    if (size >= 0.75)
      reasons.push(
        `similar size (${candidate.employees.toLocaleString('en-US')} employees)`,
      );
  }
  const mix = cosine(targetMix, candidateMix);
  if (mix >= 0.6)
    reasons.push(`similar consumption mix (${Math.round(mix * 100)}% overlap)`);
  const similarity =
    Math.round((0.4 * industry + 0.3 * size + 0.3 * mix) * 1000) / 1000;
  return {
    accountId: candidate.id,
    name: candidate.name,
    industry: candidate.industry,
    employees: candidate.employees,
    similarity,
    reasons,
  };
}

function cosine(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    dot += v * (b.get(k) ?? 0);
    na += v * v;
  }
  for (const v of b.values()) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
