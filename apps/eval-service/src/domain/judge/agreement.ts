import type { EvalCase } from '../dataset/eval-case.js';
import type { CaseResult, JudgeAgreement, JudgeCriterion } from '../model.js';
import { JUDGE_CRITERIA } from './rubrics.js';

/**
 * Quadratic-weighted Cohen's kappa of two raters on an ordinal 1–5 scale
 * (`b` rounded to the nearest integer). Null with fewer than 2 pairs or when
 * the expected disagreement is 0 (both raters constant and equal).
 */
export function weightedKappa(
  a: readonly number[],
  b: readonly number[],
): number | null {
  const n = Math.min(a.length, b.length);
  if (n < 2) return null;
  const k = 5;
  const observed = Array.from({ length: k }, () =>
    new Array<number>(k).fill(0),
  );
  const rowTotals = new Array<number>(k).fill(0);
  const colTotals = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const x = clampScore(a[i] ?? 1) - 1;
    const y = clampScore(b[i] ?? 1) - 1;
    (observed[x] as number[])[y] = ((observed[x] as number[])[y] ?? 0) + 1;
    rowTotals[x] = (rowTotals[x] ?? 0) + 1;
    colTotals[y] = (colTotals[y] ?? 0) + 1;
  }
  let observedDisagreement = 0;
  let expectedDisagreement = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const weight = ((i - j) / (k - 1)) ** 2;
      observedDisagreement += weight * ((observed[i] as number[])[j] ?? 0);
      expectedDisagreement +=
        (weight * (rowTotals[i] ?? 0) * (colTotals[j] ?? 0)) / n;
    }
  }
  if (expectedDisagreement === 0) return null;
  return 1 - observedDisagreement / expectedDisagreement;
}

/** Spearman rank correlation (average ranks for ties). Null with fewer than 2 pairs or a constant series. */
export function spearman(
  a: readonly number[],
  b: readonly number[],
): number | null {
  const n = Math.min(a.length, b.length);
  if (n < 2) return null;
  const ra = ranks(a.slice(0, n));
  const rb = ranks(b.slice(0, n));
  return pearson(ra, rb);
}

function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  if (va === 0 || vb === 0) return null;
  return cov / Math.sqrt(va * vb);
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const result = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.v === order[start]?.v)
      end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++)
      result[(order[k] as { i: number }).i] = rank;
    start = end + 1;
  }
  return result;
}

function clampScore(score: number): number {
  return Math.min(5, Math.max(1, Math.round(score)));
}

/**
 * Agreement between the judge's mean score and the human label per
 * criterion, over cases that have both. Criteria without any labelled case
 * are left out.
 */
export function judgeAgreement(
  cases: readonly EvalCase[],
  results: readonly CaseResult[],
): JudgeAgreement[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const out: JudgeAgreement[] = [];
  for (const criterion of JUDGE_CRITERIA) {
    const human: number[] = [];
    const judged: number[] = [];
    for (const result of results) {
      const label = byId.get(result.caseId)?.humanLabels?.[criterion];
      const verdict = result.judgeVerdicts?.find(
        (v) => v.criterion === criterion,
      );
      if (label === undefined || !verdict || verdict.scores.length === 0)
        continue;
      human.push(label);
      judged.push(verdict.mean);
    }
    if (human.length === 0) continue;
    out.push({
      criterion: criterion satisfies JudgeCriterion,
      pairs: human.length,
      weightedKappa: weightedKappa(human, judged),
      spearman: spearman(human, judged),
    });
  }
  return out;
}
