import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  FieldwiseError,
  toFieldwiseError,
  ValidationError,
} from '@fieldwise/errors';
import type { Logger } from 'pino';
import { readDatasetFile } from '../adapters/files/dataset-file.js';
import type { EvalStore } from '../adapters/store/port.js';
import {
  compareStoredRuns,
  type RunComparison,
} from '../domain/compare/compare-runs.js';
import {
  evaluateThresholds,
  parseThresholdList,
  type Threshold,
} from '../domain/compare/thresholds.js';
import { importDataset } from '../domain/dataset/import-dataset.js';
import type { EvalDeps } from '../domain/deps.js';
import type { JudgeSettings } from '../domain/judge/run-judge.js';
import { renderRunReport } from '../domain/report/run-report.js';
import type { AgentRunner } from '../domain/run/agent-runner.js';
import { executeRun } from '../domain/run/execute-run.js';

/** Builds a runner from the text after `<kind>:` in `--runner <kind>:<spec>`. */
export type RunnerFactory = (spec: string) => Promise<AgentRunner>;

/** Everything the CLI touches, injected so it runs in-process in tests. */
export interface EvalCliEnvironment {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly logger: Logger;
  /** Runner kinds, e.g. `scripted` → ScriptedAgentRunner.fromFile; the gRPC runner is added by the service wiring. */
  readonly runnerFactories: ReadonlyMap<string, RunnerFactory>;
  readonly openStore: () => Promise<EvalStore>;
  /** Where `<name>.jsonl` dataset files live (`data/eval`). */
  readonly datasetDir: string;
  /**
   * Builds the LLM judge from configuration; undefined when no model is
   * configured. Called only for `--judge`, so other runs never need model
   * settings; a bad configuration throws CONFIG_INVALID (exit 2).
   */
  readonly judge?: () => JudgeSettings | undefined;
  readonly now?: () => Date;
}

/** Exit codes of `npm run eval`. */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2 } as const;

const USAGE = `usage: npm run eval -- --dataset <name> --runner <kind>:<spec>
  [--version <n>] [--fail-under metric=min,...] [--fail-over metric=max,...]
  [--compare <runId>|latest] [--tolerance 0.05] [--concurrency 2]
  [--report <file.html>] [--label <text>] [--tenant lumen] [--max-errored 0]
  [--judge] [--judge-repeats <n>]
--judge adds LLM-as-a-judge verdicts (groundedness, relevance, helpfulness;
each repeated --judge-repeats times, default EVAL_JUDGE_REPEATS) and needs a
model endpoint (OPENAI_API_KEY / OPENAI_BASE_URL / AZURE_OPENAI_*). The dataset file <dataset-dir>/<name>.jsonl, when present, is imported first
(a new version only when its content changed). Exit 0: gate passed; 1: a
threshold failed, a regression was flagged, more cases errored than
--max-errored allows or the run did not complete; 2: usage or setup error.`;

/**
 * Runs the eval CLI: imports the dataset file, executes a run with the
 * chosen runner, checks thresholds, compares with a base run when asked,
 * writes the HTML report, prints a JSON summary on stdout and returns the
 * exit code (see {@link EXIT}). Never throws.
 */
export async function runEvalCli(
  argv: readonly string[],
  env: EvalCliEnvironment,
): Promise<number> {
  let store: EvalStore | undefined;
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      env.stdout(`${USAGE}\n`);
      return EXIT.ok;
    }
    const [kind, ...rest] = options.runner.split(':');
    const factory = env.runnerFactories.get(kind ?? '');
    if (!factory || rest.length === 0) {
      throw new ValidationError([
        {
          field: 'runner',
          message: `expected <kind>:<spec> with kind one of ${[...env.runnerFactories.keys()].join(', ')}`,
        },
      ]);
    }
    let judge: JudgeSettings | undefined;
    if (options.judge) {
      const configured = env.judge?.();
      if (configured === undefined) {
        throw new ValidationError([
          {
            field: 'judge',
            message:
              'needs a judge model: set OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_*',
          },
        ]);
      }
      judge =
        options.judgeRepeats === undefined
          ? configured
          : { ...configured, repeats: options.judgeRepeats };
    }
    const runner = await factory(rest.join(':'));
    store = await env.openStore();
    const now = env.now ?? (() => new Date());
    const deps: EvalDeps = {
      store,
      logger: env.logger,
      now,
      newId: (prefix) => `${prefix}_${randomUUID()}`,
    };
    const datasetId = await ensureDataset(deps, env, options);
    const { run, results } = await executeRun(
      { ...deps, runner, ...(judge ? { judge } : {}) },
      {
        datasetId,
        version: options.version,
        concurrency: options.concurrency,
        label: options.label,
        createdBy: 'eval-cli',
      },
    );
    const thresholds = evaluateThresholds(run.metrics, options.thresholds);
    let comparison: RunComparison | undefined;
    if (options.compare !== undefined) {
      const baseId = await resolveBaseRun(
        store,
        options.compare,
        run.datasetId,
        run.id,
      );
      comparison = await compareStoredRuns(
        deps,
        baseId,
        run.id,
        options.tolerance,
      );
    }
    if (options.report !== undefined) {
      await writeFile(
        options.report,
        renderRunReport({
          run,
          results,
          datasetName: options.dataset,
          thresholds,
          ...(comparison ? { comparison } : {}),
        }),
        'utf8',
      );
    }
    const tooManyErrors = run.progress.erroredCases > options.maxErrored;
    const passed =
      run.status === 'completed' &&
      !tooManyErrors &&
      thresholds.every((t) => t.passed) &&
      !(comparison?.hasRegressions ?? false);
    env.stdout(
      `${JSON.stringify(
        {
          runId: run.id,
          dataset: options.dataset,
          datasetVersion: run.datasetVersion,
          status: run.status,
          progress: run.progress,
          metrics: Object.fromEntries(
            run.metrics.map((m) => [m.name, Number(m.mean.toFixed(4))]),
          ),
          thresholds,
          ...(judge
            ? {
                judge: {
                  model: judge.judge.model,
                  flakyVerdicts: results.reduce(
                    (n, r) =>
                      n + (r.judgeVerdicts ?? []).filter((v) => v.flaky).length,
                    0,
                  ),
                  agreement: run.judgeAgreement,
                },
              }
            : {}),
          comparison: comparison && {
            baseRunId: comparison.baseRunId,
            hasRegressions: comparison.hasRegressions,
            regressedMetrics: comparison.metrics
              .filter((m) => m.regressed)
              .map((m) => m.metric),
            outcomeRegressions: comparison.outcomeRegressions.map(
              (o) => o.caseId,
            ),
            caseRegressions: comparison.regressions.length,
          },
          report: options.report,
          passed,
        },
        null,
        2,
      )}\n`,
    );
    if (!passed) {
      const reasons = [
        ...(run.status === 'completed' ? [] : [`run ${run.status}`]),
        ...(tooManyErrors
          ? [
              `${run.progress.erroredCases} case(s) errored (allowed ${options.maxErrored})`,
            ]
          : []),
        ...thresholds
          .filter((t) => !t.passed)
          .map(
            (t) =>
              `${t.threshold.metric}=${t.actual === undefined ? 'unmeasured' : t.actual.toFixed(4)} outside bound`,
          ),
        ...(comparison?.hasRegressions
          ? [`regressions against ${comparison.baseRunId}`]
          : []),
      ];
      env.stderr(`eval gate FAILED: ${reasons.join('; ')}\n`);
      return EXIT.gateFailed;
    }
    return EXIT.ok;
  } catch (error) {
    const failure = toFieldwiseError(error);
    env.stderr(`eval: ${failure.code}: ${failure.message}\n`);
    if (failure.code === 'VALIDATION_FAILED') env.stderr(`${USAGE}\n`);
    return EXIT.usage;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

interface CliOptions {
  readonly help: boolean;
  readonly dataset: string;
  readonly runner: string;
  readonly version: number | undefined;
  readonly thresholds: Threshold[];
  readonly compare: string | undefined;
  readonly tolerance: number;
  readonly concurrency: number;
  readonly report: string | undefined;
  readonly label: string;
  readonly tenant: string;
  readonly maxErrored: number;
  readonly judge: boolean;
  readonly judgeRepeats: number | undefined;
}

function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        dataset: { type: 'string' },
        runner: { type: 'string' },
        version: { type: 'string' },
        'fail-under': { type: 'string' },
        'fail-over': { type: 'string' },
        compare: { type: 'string' },
        tolerance: { type: 'string' },
        concurrency: { type: 'string' },
        report: { type: 'string' },
        label: { type: 'string' },
        tenant: { type: 'string' },
        'max-errored': { type: 'string' },
        judge: { type: 'boolean' },
        'judge-repeats': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new ValidationError([
      { field: 'argv', message: (error as Error).message },
    ]);
  }
  if (values.help === true) {
    return {
      help: true,
      dataset: '',
      runner: '',
      version: undefined,
      thresholds: [],
      compare: undefined,
      tolerance: 0.05,
      concurrency: 2,
      report: undefined,
      label: '',
      tenant: 'lumen',
      maxErrored: 0,
      judge: false,
      judgeRepeats: undefined,
    };
  }
  if (values.dataset === undefined)
    throw new ValidationError([{ field: 'dataset', message: 'is required' }]);
  if (values.runner === undefined)
    throw new ValidationError([{ field: 'runner', message: 'is required' }]);
  return {
    help: false,
    dataset: values.dataset,
    runner: values.runner,
    version:
      values.version === undefined
        ? undefined
        : integer('version', values.version, 1, 1_000_000),
    thresholds: [
      ...parseThresholdList(values['fail-under'] ?? '', 'min'),
      ...parseThresholdList(values['fail-over'] ?? '', 'max'),
    ],
    compare: values.compare,
    tolerance:
      values.tolerance === undefined
        ? 0.05
        : fraction('tolerance', values.tolerance),
    concurrency:
      values.concurrency === undefined
        ? 2
        : integer('concurrency', values.concurrency, 1, 8),
    report: values.report,
    label: values.label ?? '',
    tenant: values.tenant ?? 'lumen',
    maxErrored:
      values['max-errored'] === undefined
        ? 0
        : integer('max-errored', values['max-errored'], 0, 1_000_000),
    judge: values.judge === true,
    judgeRepeats:
      values['judge-repeats'] === undefined
        ? undefined
        : integer('judge-repeats', values['judge-repeats'], 1, 10),
  };
}

function integer(
  field: string,
  text: string,
  min: number,
  max: number,
): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError([
      { field, message: `must be an integer from ${min} to ${max}` },
    ]);
  return n;
}

function fraction(field: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new ValidationError([
      { field, message: 'must be a number from 0 to 1' },
    ]);
  return n;
}

/** Imports the dataset file when there is one; otherwise the dataset must already be stored. */
async function ensureDataset(
  deps: EvalDeps,
  env: EvalCliEnvironment,
  options: CliOptions,
): Promise<string> {
  let jsonl: string | undefined;
  try {
    jsonl = (await readDatasetFile(env.datasetDir, options.dataset)).jsonl;
  } catch (error) {
    if (!(error instanceof FieldwiseError && error.code === 'NOT_FOUND'))
      throw error;
  }
  if (jsonl !== undefined) {
    const imported = await importDataset(deps, {
      tenant: options.tenant,
      datasetName: options.dataset,
      jsonl,
      createdBy: 'eval-cli',
      note: 'imported by the eval CLI',
    });
    for (const e of imported.errors)
      env.stderr(`dataset line ${e.line}: ${e.message}\n`);
    return imported.dataset.id;
  }
  const stored = await deps.store.findDatasetByName(
    options.tenant,
    options.dataset,
  );
  if (!stored) {
    throw new FieldwiseError(
      'NOT_FOUND',
      `dataset '${options.dataset}' is neither stored nor a file in ${env.datasetDir}`,
    );
  }
  return stored.id;
}

async function resolveBaseRun(
  store: EvalStore,
  compare: string,
  datasetId: string,
  currentRunId: string,
): Promise<string> {
  if (compare !== 'latest') return compare;
  const previous = (
    await store.listRuns({ datasetId, status: 'completed' })
  ).find((r) => r.id !== currentRunId);
  if (!previous)
    throw new FieldwiseError(
      'NOT_FOUND',
      'no earlier completed run of this dataset to compare with',
    );
  return previous.id;
}
