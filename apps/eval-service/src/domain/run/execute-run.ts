import {
  FieldwiseError,
  NotFoundError,
  toFieldwiseError,
  ValidationError,
} from '@fieldwise/errors';
import { caseTurns, type EvalCase } from '../dataset/eval-case.js';
import { resolveDatasetVersion } from '../dataset/import-dataset.js';
import type { EvalDeps } from '../deps.js';
import { judgeAgreement } from '../judge/agreement.js';
import { judgeCase, type JudgeSettings } from '../judge/run-judge.js';
import { progressOf, summarizeMetrics } from '../metrics/aggregate.js';
import { scoreCase } from '../metrics/score-case.js';
import type { CaseResult, MetricValue, Run, RunProgress } from '../model.js';
import type { AgentRunner } from './agent-runner.js';
import { forEachBounded } from './bounded-pool.js';

/** One finished case, reported as the run goes. */
export interface RunProgressEvent {
  readonly run: Run;
  readonly result: CaseResult;
  readonly progress: RunProgress;
}

/** What executing a run needs beyond the common deps. */
export interface RunDeps extends EvalDeps {
  readonly runner: AgentRunner;
  /** LLM-as-a-judge settings; absent runs deterministic metrics only. */
  readonly judge?: JudgeSettings;
  /** Called once per finished case, in completion order; must not throw. */
  readonly onProgress?: (event: RunProgressEvent) => void;
}

/** What starting a run needs. */
export interface StartRunInput {
  readonly datasetId: string;
  /** Dataset version; 0 or absent means the latest. */
  readonly version?: number;
  readonly label?: string;
  /** The run will be judged by an LLM too (recorded from the start). */
  readonly llmJudge?: boolean;
  readonly createdBy: string;
}

/** How a run executes. */
export interface ExecuteOptions {
  /** Cases evaluated in parallel, 1 to 8; default 2. */
  readonly concurrency?: number;
  /** Aborting stops taking cases; the run ends `cancelled` and can be resumed. */
  readonly signal?: AbortSignal;
}

/** A finished (or stopped) run with its per-case results in dataset order. */
export interface RunOutcome {
  readonly run: Run;
  readonly results: readonly CaseResult[];
}

/**
 * Creates a run of one dataset version with status `running` and no
 * results yet. Unknown dataset or version is NOT_FOUND.
 */
export async function createRun(
  deps: EvalDeps,
  input: StartRunInput,
): Promise<Run> {
  const { version, cases } = await resolveDatasetVersion(
    deps,
    input.datasetId,
    input.version,
  );
  const now = deps.now().toISOString();
  return deps.store.createRun({
    id: deps.newId('run'),
    datasetId: input.datasetId,
    datasetVersion: version,
    status: 'running',
    label: input.label ?? '',
    llmJudge: input.llmJudge ?? false,
    progress: {
      totalCases: cases.length,
      completedCases: 0,
      failedCases: 0,
      erroredCases: 0,
    },
    metrics: [],
    judgeAgreement: [],
    error: '',
    createdBy: input.createdBy,
    createdAt: now,
    startedAt: now,
    finishedAt: '',
  });
}

/**
 * Creates a run and executes it to the end (see {@link continueRun}).
 */
export async function executeRun(
  deps: RunDeps,
  input: StartRunInput & ExecuteOptions,
): Promise<RunOutcome> {
  const run = await createRun(deps, input);
  return continueRun(deps, run.id, input);
}

/**
 * Resumes a `failed`, `cancelled` or interrupted (`running` but not being
 * executed, e.g. after a crash) run: only cases without a passed/failed
 * result are evaluated; errored cases are retried. A `completed` run is
 * PRECONDITION_FAILED. The caller must not resume a run another worker is
 * still executing.
 */
export async function resumeRun(
  deps: RunDeps,
  runId: string,
  options: ExecuteOptions = {},
): Promise<RunOutcome> {
  const run = await deps.store.getRun(runId);
  if (!run) throw new NotFoundError('run', runId);
  if (run.status === 'completed') {
    throw new FieldwiseError(
      'PRECONDITION_FAILED',
      `run '${runId}' is already completed`,
      {
        context: { runId, status: run.status },
      },
    );
  }
  return continueRun(deps, runId, options);
}

/**
 * Executes the cases of a run that have no passed/failed result: each case
 * through the runner with bounded concurrency, scored deterministically
 * (and by the judge when configured), its result saved as soon as it is
 * known, then reported to `onProgress`. A runner failure makes that case
 * `errored`, never the run. When all cases have results the run is
 * `completed` with aggregate metrics; when the signal aborts it is
 * `cancelled`; when the store fails it is marked `failed` (best effort) and
 * the error is rethrown.
 */
export async function continueRun(
  deps: RunDeps,
  runId: string,
  options: ExecuteOptions = {},
): Promise<RunOutcome> {
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) {
    throw new ValidationError([
      { field: 'concurrency', message: 'must be an integer from 1 to 8' },
    ]);
  }
  const existing = await deps.store.getRun(runId);
  if (!existing) throw new NotFoundError('run', runId);
  const cases = await deps.store.getCases(
    existing.datasetId,
    existing.datasetVersion,
  );
  const results = new Map<string, CaseResult>();
  for (const r of await deps.store.listCaseResults(runId))
    results.set(r.caseId, r);
  const pending = cases
    .map((evalCase, position) => ({ evalCase, position }))
    .filter(({ evalCase }) => {
      const previous = results.get(evalCase.id);
      return previous === undefined || previous.outcome === 'errored';
    });
  const run = await deps.store.updateRun(runId, {
    status: 'running',
    llmJudge: deps.judge !== undefined || existing.llmJudge,
    error: '',
    finishedAt: '',
    progress: progressOf(cases.length, [...results.values()]),
  });
  deps.logger.info(
    { runId, cases: cases.length, pending: pending.length, concurrency },
    'run executing',
  );
  const signal = options.signal ?? new AbortController().signal;
  try {
    await forEachBounded(
      pending,
      concurrency,
      async ({ evalCase, position }) => {
        const result = await evaluateCase(
          deps,
          run,
          evalCase,
          position,
          signal,
        );
        if (!result) return;
        await deps.store.saveCaseResult(result);
        results.set(result.caseId, result);
        const progress = progressOf(cases.length, [...results.values()]);
        deps.onProgress?.({ run, result, progress });
      },
      signal,
    );
  } catch (error) {
    const failure = toFieldwiseError(error);
    deps.logger.error({ runId, err: error }, 'run failed');
    await deps.store
      .updateRun(runId, {
        status: 'failed',
        error: `${failure.code}: ${failure.message}`,
        finishedAt: deps.now().toISOString(),
        progress: progressOf(cases.length, [...results.values()]),
      })
      .catch(() => undefined);
    throw failure;
  }
  const ordered = cases
    .map((c) => results.get(c.id))
    .filter((r): r is CaseResult => r !== undefined);
  const finished = await deps.store.updateRun(runId, {
    status: signal.aborted ? 'cancelled' : 'completed',
    progress: progressOf(cases.length, ordered),
    metrics: summarizeMetrics(ordered),
    judgeAgreement: judgeAgreement(cases, ordered),
    finishedAt: deps.now().toISOString(),
  });
  deps.logger.info(
    {
      runId,
      status: finished.status,
      completed: finished.progress.completedCases,
    },
    'run stopped',
  );
  return { run: finished, results: ordered };
}

/** Runs and scores one case; undefined when the run was aborted mid-case (it stays pending). */
async function evaluateCase(
  deps: RunDeps,
  run: Run,
  evalCase: EvalCase,
  position: number,
  signal: AbortSignal,
): Promise<CaseResult | undefined> {
  const question = caseTurns(evalCase.request).join('\n');
  try {
    const turn = await deps.runner.run(evalCase, { signal, runId: run.id });
    const metrics: MetricValue[] = scoreCase(evalCase, turn);
    let judgeVerdicts: CaseResult['judgeVerdicts'];
    if (deps.judge) {
      const judged = await judgeCase(deps.judge, evalCase, turn, signal);
      metrics.push(...judged.metrics);
      judgeVerdicts = judged.verdicts;
    }
    const failed = metrics.some((m) => m.passed === false);
    return {
      runId: run.id,
      caseId: evalCase.id,
      position,
      outcome: failed ? 'failed' : 'passed',
      question,
      turn,
      metrics,
      ...(judgeVerdicts ? { judgeVerdicts } : {}),
      finishedAt: deps.now().toISOString(),
    };
  } catch (error) {
    if (signal.aborted) return undefined;
    const failure = toFieldwiseError(error);
    deps.logger.warn(
      { runId: run.id, caseId: evalCase.id, code: failure.code },
      'case errored',
    );
    return {
      runId: run.id,
      caseId: evalCase.id,
      position,
      outcome: 'errored',
      question,
      metrics: [],
      errorCode: failure.code,
      error: failure.message,
      finishedAt: deps.now().toISOString(),
    };
  }
}
