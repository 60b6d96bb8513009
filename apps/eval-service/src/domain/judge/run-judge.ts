import type { EvalCase } from '../dataset/eval-case.js';
import type {
  AgentTurn,
  JudgeCriterion,
  JudgeVerdictSummary,
  MetricValue,
} from '../model.js';
import type { Judge } from './judge-port.js';
import { buildRubricPrompt, JUDGE_CRITERIA } from './rubrics.js';

/** How the LLM judge runs. */
export interface JudgeSettings {
  readonly judge: Judge;
  /** Verdicts per criterion and case (≥ 1); several expose flaky verdicts. Default 3. */
  readonly repeats?: number;
  readonly criteria?: readonly JudgeCriterion[];
  /** A mean score at or above this (1–5) passes the criterion; default 4. */
  readonly passScore?: number;
}

/**
 * Runs the judge `repeats` times per criterion on one case and aggregates:
 * mean, population variance, disagreement (share of verdicts differing from
 * the most common score) and a flaky flag (scores spanning ≥ 2 points).
 * A judge call that throws or returns a score outside 1–5 is counted as
 * invalid, not as a score. Returns the summaries and one metric per
 * criterion (`judge_<criterion>`, mean mapped from 1–5 to 0–1); a criterion
 * with no valid verdict yields no metric.
 */
export async function judgeCase(
  settings: JudgeSettings,
  evalCase: EvalCase,
  turn: AgentTurn,
  signal?: AbortSignal,
): Promise<{ verdicts: JudgeVerdictSummary[]; metrics: MetricValue[] }> {
  const repeats = Math.max(1, settings.repeats ?? 3);
  const passScore = settings.passScore ?? 4;
  const verdicts: JudgeVerdictSummary[] = [];
  const metrics: MetricValue[] = [];
  for (const criterion of settings.criteria ?? JUDGE_CRITERIA) {
    const prompt = buildRubricPrompt(criterion, evalCase, turn);
    const scores: number[] = [];
    const rationales: string[] = [];
    let invalid = 0;
    for (let i = 0; i < repeats; i++) {
      signal?.throwIfAborted();
      try {
        const verdict = await settings.judge.evaluate(
          prompt,
          signal ? { signal } : {},
        );
        if (
          Number.isInteger(verdict.score) &&
          verdict.score >= 1 &&
          verdict.score <= 5
        ) {
          scores.push(verdict.score);
          rationales.push(verdict.rationale);
        } else {
          invalid += 1;
        }
      } catch (error) {
        if (signal?.aborted) throw error;
        invalid += 1;
      }
    }
    const summary = summarizeScores(criterion, scores, rationales, invalid);
    verdicts.push(summary);
    if (scores.length > 0) {
      metrics.push({
        name: `judge_${criterion}`,
        value: (summary.mean - 1) / 4,
        judge: 'llm',
        passed: summary.mean >= passScore,
        explanation: `${settings.judge.model}: mean ${summary.mean.toFixed(2)}/5 over ${scores.length} verdict(s) [${scores.join(', ')}]${summary.flaky ? ' — FLAKY' : ''}; ${rationales[0] ?? ''}`,
        details: {
          scores,
          variance: summary.variance,
          disagreement: summary.disagreement,
          flaky: summary.flaky,
          invalid,
        },
      });
    }
  }
  return { verdicts, metrics };
}

/** Aggregates repeated 1–5 scores of one criterion (see {@link judgeCase}). */
export function summarizeScores(
  criterion: JudgeCriterion,
  scores: readonly number[],
  rationales: readonly string[],
  invalid: number,
): JudgeVerdictSummary {
  const n = scores.length;
  const mean = n === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / n;
  const variance =
    n === 0 ? 0 : scores.reduce((a, s) => a + (s - mean) ** 2, 0) / n;
  const counts = new Map<number, number>();
  for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
  const modeCount = Math.max(0, ...counts.values());
  return {
    criterion,
    scores,
    rationales,
    mean,
    variance,
    disagreement: n === 0 ? 0 : (n - modeCount) / n,
    flaky: n > 0 && Math.max(...scores) - Math.min(...scores) >= 2,
    invalid,
  };
}
