import { FieldwiseError, NotFoundError } from '@fieldwise/errors';
import type { EvalDeps } from '../deps.js';
import { RAW_METRICS } from '../metrics/score-case.js';
import type { CaseOutcome, CaseResult, MetricSummary, Run } from '../model.js';

/** One aggregate metric of two runs. */
export interface MetricDelta {
  readonly metric: string;
  readonly base: number;
  readonly candidate: number;
  /** candidate − base. */
  readonly delta: number;
  readonly regressed: boolean;
}

/** One case metric that changed between the runs. */
export interface CaseDelta {
  readonly caseId: string;
  readonly question: string;
  readonly metric: string;
  readonly base: number;
  readonly candidate: number;
  /** The case passed this metric in the base run and fails it now (or the reverse, for improvements). */
  readonly flipped: boolean;
}

/** A case whose outcome changed between the runs. */
export interface OutcomeChange {
  readonly caseId: string;
  readonly question: string;
  readonly base: CaseOutcome;
  readonly candidate: CaseOutcome;
}

/** The comparison of a candidate run against a base run. */
export interface RunComparison {
  readonly baseRunId: string;
  readonly candidateRunId: string;
  readonly tolerance: number;
  readonly metrics: readonly MetricDelta[];
  /** Case metrics that got worse, worst first. */
  readonly regressions: readonly CaseDelta[];
  /** Case metrics that got better, best first. */
  readonly improvements: readonly CaseDelta[];
  /** Cases that passed in the base run and failed or errored in the candidate. */
  readonly outcomeRegressions: readonly OutcomeChange[];
  /** Cases in only one of the runs. */
  readonly unmatchedCases: readonly string[];
  readonly hasRegressions: boolean;
}

/** One side of a comparison. */
export interface RunWithResults {
  readonly run: Run;
  readonly results: readonly CaseResult[];
}

/**
 * Compares two runs case by case. A case metric regressed when it passed in
 * the base and fails in the candidate, or its score dropped by more than
 * `tolerance` (absolute, scores in [0, 1]); raw measurements (latency,
 * tokens) are compared only in aggregate. An aggregate regressed when its
 * mean dropped by more than `tolerance`, or for raw measurements when the
 * mean rose by more than `tolerance` × base (relative). A case that passed
 * and now fails or errors is an outcome regression. Runs of different
 * datasets are PRECONDITION_FAILED. Pure apart from that check.
 */
export function compareRuns(
  base: RunWithResults,
  candidate: RunWithResults,
  tolerance = 0.05,
): RunComparison {
  if (base.run.datasetId !== candidate.run.datasetId) {
    throw new FieldwiseError(
      'PRECONDITION_FAILED',
      'runs of different datasets cannot be compared',
      { context: { baseRunId: base.run.id, candidateRunId: candidate.run.id } },
    );
  }
  const metrics = compareAggregates(
    base.run.metrics,
    candidate.run.metrics,
    tolerance,
  );
  const baseById = new Map(base.results.map((r) => [r.caseId, r]));
  const candidateIds = new Set(candidate.results.map((r) => r.caseId));
  const regressions: CaseDelta[] = [];
  const improvements: CaseDelta[] = [];
  const outcomeRegressions: OutcomeChange[] = [];
  for (const after of candidate.results) {
    const before = baseById.get(after.caseId);
    if (!before) continue;
    if (before.outcome === 'passed' && after.outcome !== 'passed') {
      outcomeRegressions.push({
        caseId: after.caseId,
        question: after.question,
        base: before.outcome,
        candidate: after.outcome,
      });
    }
    const afterMetrics = new Map(after.metrics.map((m) => [m.name, m]));
    for (const b of before.metrics) {
      if (RAW_METRICS.has(b.name)) continue;
      // An errored candidate measured nothing: every base metric counts as lost.
      const a =
        afterMetrics.get(b.name) ??
        (after.outcome === 'errored' ? { value: 0, passed: false } : undefined);
      if (!a) continue;
      const drop = b.value - a.value;
      const lostPass = b.passed === true && a.passed === false;
      const gainedPass = b.passed === false && a.passed === true;
      const delta = {
        caseId: after.caseId,
        question: after.question,
        metric: b.name,
        base: b.value,
        candidate: a.value,
      };
      if (lostPass || drop > tolerance)
        regressions.push({ ...delta, flipped: lostPass });
      else if (gainedPass || -drop > tolerance)
        improvements.push({ ...delta, flipped: gainedPass });
    }
  }
  regressions.sort((x, y) => y.base - y.candidate - (x.base - x.candidate));
  improvements.sort((x, y) => x.base - x.candidate - (y.base - y.candidate));
  const unmatchedCases = [
    ...base.results
      .filter((r) => !candidateIds.has(r.caseId))
      .map((r) => r.caseId),
    ...candidate.results
      .filter((r) => !baseById.has(r.caseId))
      .map((r) => r.caseId),
  ];
  return {
    baseRunId: base.run.id,
    candidateRunId: candidate.run.id,
    tolerance,
    metrics,
    regressions,
    improvements,
    outcomeRegressions,
    unmatchedCases,
    hasRegressions:
      regressions.length > 0 ||
      outcomeRegressions.length > 0 ||
      metrics.some((m) => m.regressed),
  };
}

function compareAggregates(
  base: readonly MetricSummary[],
  candidate: readonly MetricSummary[],
  tolerance: number,
): MetricDelta[] {
  const after = new Map(candidate.map((m) => [m.name, m]));
  const deltas: MetricDelta[] = [];
  for (const b of base) {
    const a = after.get(b.name);
    if (!a) continue;
    const delta = a.mean - b.mean;
    const regressed = RAW_METRICS.has(b.name)
      ? delta > tolerance * Math.max(b.mean, 1)
      : -delta > tolerance;
    deltas.push({
      metric: b.name,
      base: b.mean,
      candidate: a.mean,
      delta,
      regressed,
    });
  }
  return deltas;
}

/**
 * Loads two runs and their results from the store and compares them (see
 * {@link compareRuns}). Unknown run ids are NOT_FOUND.
 */
export async function compareStoredRuns(
  deps: Pick<EvalDeps, 'store'>,
  baseRunId: string,
  candidateRunId: string,
  tolerance?: number,
): Promise<RunComparison> {
  const load = async (id: string): Promise<RunWithResults> => {
    const run = await deps.store.getRun(id);
    if (!run) throw new NotFoundError('run', id);
    return { run, results: await deps.store.listCaseResults(id) };
  };
  const [base, candidate] = await Promise.all([
    load(baseRunId),
    load(candidateRunId),
  ]);
  return compareRuns(base, candidate, tolerance);
}
