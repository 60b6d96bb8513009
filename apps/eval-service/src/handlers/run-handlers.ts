import type { EvalServiceService } from '@fieldwise/contracts';
import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import type { ServiceHandlers } from '@fieldwise/grpc';
import {
  compareStoredRuns,
  continueRun,
  createRun,
  evaluateThresholds,
  renderRunReport,
  type AgentRunner,
  type Run,
} from '../domain/index.js';
import type { EvalHandlerDeps } from './handler-deps.js';
import type { RunNotice } from './run-registry.js';
import { paginate, resolvePage } from './paging.js';
import {
  decodeThresholds,
  encodeCaseResult,
  encodeRun,
  runStatusFilter,
} from './proto-mapping.js';
import { optionalId, requireId } from './request-fields.js';
import { datasetOfTenant, runOfTenant } from './tenant-scope.js';

type RunHandlers = Pick<
  ServiceHandlers<typeof EvalServiceService>,
  | 'startRun'
  | 'getRun'
  | 'listRuns'
  | 'streamRunProgress'
  | 'cancelRun'
  | 'resumeRun'
  | 'listRunResults'
  | 'compareRuns'
  | 'getRunReport'
>;

const TERMINAL = new Set<Run['status']>(['completed', 'failed', 'cancelled']);

/** Run RPCs: start, inspect, stream, cancel, resume, results, compare, report. */
export function runHandlers(deps: EvalHandlerDeps): RunHandlers {
  const encode = (run: Run) =>
    encodeRun(
      run,
      evaluateThresholds(run.metrics, deps.runs.thresholdsOf(run.id)),
    );

  function runnerFor(model: string): AgentRunner {
    if (!deps.runnerFor) {
      throw new FieldwiseError(
        'PRECONDITION_FAILED',
        'no agent service is configured (AGENT_SERVICE_ADDR)',
      );
    }
    return deps.runnerFor(model);
  }

  /** Executes a run in the background; the call that started it returns at once. */
  function launch(
    runId: string,
    runner: AgentRunner,
    concurrency: number,
    llmJudge: boolean,
  ) {
    const { judge, ...rest } = deps;
    deps.runs.start(runId, async (signal, notify) => {
      try {
        const outcome = await continueRun(
          {
            ...rest,
            ...(llmJudge && judge ? { judge } : {}),
            runner,
            onProgress: (event) =>
              notify(event.result, { ...event.run, progress: event.progress }),
          },
          runId,
          { concurrency, signal },
        );
        return outcome.run;
      } catch (error) {
        deps.logger.error({ err: error, runId }, 'run execution failed');
        return deps.store.getRun(runId).catch(() => undefined);
      }
    });
  }

  return {
    async startRun(request, ctx) {
      const datasetId = requireId(request.datasetId, 'dataset_id');
      if (
        !Number.isInteger(request.datasetVersion) ||
        request.datasetVersion < 0
      ) {
        throw new ValidationError([
          {
            field: 'dataset_version',
            message: 'must be 0 (latest) or a version',
          },
        ]);
      }
      const concurrency =
        request.concurrency === 0
          ? deps.defaultConcurrency
          : request.concurrency;
      if (
        !Number.isInteger(concurrency) ||
        concurrency < 1 ||
        concurrency > 8
      ) {
        throw new ValidationError([
          { field: 'concurrency', message: 'must be 0 or 1 to 8' },
        ]);
      }
      if (request.label.length > 200 || request.model.length > 128) {
        throw new ValidationError([
          {
            field: request.label.length > 200 ? 'label' : 'model',
            message: 'is too long',
          },
        ]);
      }
      const thresholds = decodeThresholds(request.thresholds);
      if (request.llmJudge && !deps.judge) {
        throw new FieldwiseError(
          'PRECONDITION_FAILED',
          'LLM-as-judge needs a judge model, and none is configured for the eval service (OPENAI_* or AZURE_OPENAI_*)',
        );
      }
      await datasetOfTenant(deps, ctx.principal, datasetId);
      const runner = runnerFor(request.model);
      const run = await createRun(deps, {
        datasetId,
        version: request.datasetVersion,
        label: request.label,
        llmJudge: request.llmJudge,
        createdBy: ctx.principal.userId,
      });
      deps.runs.setThresholds(run.id, thresholds);
      launch(run.id, runner, concurrency, request.llmJudge);
      return { run: encode(run) };
    },

    async getRun(request, ctx) {
      const { run } = await runOfTenant(
        deps,
        ctx.principal,
        requireId(request.runId, 'run_id'),
      );
      return { run: encode(run) };
    },

    async listRuns(request, ctx) {
      const datasetId = optionalId(request.datasetId, 'dataset_id');
      const status = runStatusFilter(request.status);
      const page = resolvePage(request.page);
      if (datasetId !== undefined)
        await datasetOfTenant(deps, ctx.principal, datasetId);
      const own = new Set(
        (await deps.store.listDatasets(ctx.principal.tenant)).map((d) => d.id),
      );
      const runs =
        status === null
          ? []
          : (
              await deps.store.listRuns({
                ...(datasetId === undefined ? {} : { datasetId }),
                ...(status === undefined ? {} : { status }),
              })
            ).filter((run) => own.has(run.datasetId));
      const { items, info } = paginate(runs, page);
      return { runs: items.map(encode), page: info };
    },

    async streamRunProgress(request, ctx, send) {
      const runId = requireId(request.runId, 'run_id');
      await runOfTenant(deps, ctx.principal, runId);
      // Subscribe, then read the snapshot: a case or the stop happening in
      // between is either in the snapshot or queued, never lost.
      const queue: RunNotice[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.runs.subscribe(runId, (notice) => {
        queue.push(notice);
        wake?.();
      });
      const snapshot = await deps.store.getRun(runId);
      if (snapshot) send({ run: encode(snapshot) });
      if (!unsubscribe) return;
      const aborted = new Promise<void>((resolve) =>
        ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      try {
        for (;;) {
          while (queue.length === 0) {
            await Promise.race([
              new Promise<void>((resolve) => (wake = resolve)),
              aborted,
            ]);
            if (ctx.signal.aborted) return;
          }
          const notice = queue.shift();
          if (notice?.kind === 'case') {
            send({
              run: encode(notice.run),
              caseResult: encodeCaseResult(notice.result),
            });
          } else if (notice?.kind === 'stopped') {
            const latest = notice.run ?? (await deps.store.getRun(runId));
            if (latest) send({ run: encode(latest) });
            return;
          }
        }
      } finally {
        unsubscribe();
      }
    },

    async cancelRun(request, ctx) {
      const runId = requireId(request.runId, 'run_id');
      const { run } = await runOfTenant(deps, ctx.principal, runId);
      if (TERMINAL.has(run.status)) {
        throw new FieldwiseError(
          'PRECONDITION_FAILED',
          `run '${runId}' is already ${run.status}`,
          { context: { runId, status: run.status } },
        );
      }
      if (await deps.runs.cancel(runId)) {
        const stopped = await deps.store.getRun(runId);
        return { run: encode(stopped ?? run) };
      }
      // Not executing here: either it just finished, or a restart interrupted it.
      const current = (await deps.store.getRun(runId)) ?? run;
      if (current.status !== 'running') {
        throw new FieldwiseError(
          'PRECONDITION_FAILED',
          `run '${runId}' is already ${current.status}`,
          { context: { runId, status: current.status } },
        );
      }
      const stopped = await deps.store.updateRun(runId, {
        status: 'cancelled',
        finishedAt: deps.now().toISOString(),
      });
      return { run: encode(stopped) };
    },

    async resumeRun(request, ctx) {
      const runId = requireId(request.runId, 'run_id');
      const { run } = await runOfTenant(deps, ctx.principal, runId);
      if (run.status === 'completed') {
        throw new FieldwiseError(
          'PRECONDITION_FAILED',
          `run '${runId}' is already completed`,
          {
            context: { runId, status: run.status },
          },
        );
      }
      if (deps.runs.isActive(runId)) {
        throw new FieldwiseError(
          'PRECONDITION_FAILED',
          `run '${runId}' is executing`,
          {
            context: { runId },
          },
        );
      }
      if (run.llmJudge && !deps.judge) {
        throw new FieldwiseError(
          'PRECONDITION_FAILED',
          `run '${runId}' was judged by an LLM, and no judge model is configured now`,
          { context: { runId } },
        );
      }
      const runner = runnerFor('');
      const resumed = await deps.store.updateRun(runId, {
        status: 'running',
        error: '',
        finishedAt: '',
      });
      launch(runId, runner, deps.defaultConcurrency, run.llmJudge);
      return { run: encode(resumed) };
    },

    async listRunResults(request, ctx) {
      const runId = requireId(request.runId, 'run_id');
      const page = resolvePage(request.page);
      await runOfTenant(deps, ctx.principal, runId);
      const results = (await deps.store.listCaseResults(runId)).filter(
        (r) => !request.onlyFailures || r.outcome !== 'passed',
      );
      const { items, info } = paginate(results, page);
      return { results: items.map(encodeCaseResult), page: info };
    },

    async compareRuns(request, ctx) {
      const baseRunId = requireId(request.baseRunId, 'base_run_id');
      const candidateRunId = requireId(
        request.candidateRunId,
        'candidate_run_id',
      );
      if (
        !Number.isFinite(request.tolerance) ||
        request.tolerance < 0 ||
        request.tolerance > 1
      ) {
        throw new ValidationError([
          { field: 'tolerance', message: 'must be between 0 and 1' },
        ]);
      }
      await runOfTenant(deps, ctx.principal, baseRunId);
      await runOfTenant(deps, ctx.principal, candidateRunId);
      const comparison = await compareStoredRuns(
        deps,
        baseRunId,
        candidateRunId,
        request.tolerance === 0 ? undefined : request.tolerance,
      );
      const delta = (d: (typeof comparison.regressions)[number]) => ({
        caseId: d.caseId,
        question: d.question,
        metric: d.metric,
        base: d.base,
        candidate: d.candidate,
      });
      return {
        metrics: comparison.metrics.map((m) => ({ ...m })),
        regressions: comparison.regressions.map(delta),
        improvements: comparison.improvements.map(delta),
        hasRegressions: comparison.hasRegressions,
      };
    },

    async getRunReport(request, ctx) {
      const runId = requireId(request.runId, 'run_id');
      const baselineId = optionalId(request.baselineRunId, 'baseline_run_id');
      const { run, dataset } = await runOfTenant(deps, ctx.principal, runId);
      if (baselineId !== undefined)
        await runOfTenant(deps, ctx.principal, baselineId);
      const results = await deps.store.listCaseResults(runId);
      const comparison =
        baselineId === undefined
          ? undefined
          : await compareStoredRuns(deps, baselineId, runId);
      const html = renderRunReport({
        run,
        results,
        datasetName: dataset.name,
        thresholds: evaluateThresholds(
          run.metrics,
          deps.runs.thresholdsOf(runId),
        ),
        ...(comparison ? { comparison } : {}),
      });
      return { html };
    },
  };
}
