import { FieldwiseError } from '@fieldwise/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedAgentRunner } from '../../../../src/adapters/runner/scripted-runner.js';
import type { SqliteEvalStore } from '../../../../src/adapters/store/sqlite-eval-store.js';
import type { EvalCase } from '../../../../src/domain/dataset/eval-case.js';
import { importDataset } from '../../../../src/domain/dataset/import-dataset.js';
import type { EvalDeps } from '../../../../src/domain/deps.js';
import type { AgentTurn } from '../../../../src/domain/model.js';
import type { AgentRunner } from '../../../../src/domain/run/agent-runner.js';
import {
  createRun,
  executeRun,
  resumeRun,
  continueRun,
  type RunProgressEvent,
} from '../../../../src/domain/run/execute-run.js';
import {
  goodRecording,
  memoryStore,
  readText,
  SAMPLE_DATASET,
  testDeps,
} from '../../../helpers/fixtures.js';

/** Replays the good recording, counting calls and in-flight concurrency. */
class CountingRunner implements AgentRunner {
  readonly calls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly inner = new ScriptedAgentRunner(goodRecording());
  constructor(
    private readonly hooks: { before?: (c: EvalCase) => void } = {},
  ) {}
  async run(
    evalCase: EvalCase,
    options: { signal: AbortSignal; runId: string },
  ): Promise<AgentTurn> {
    this.calls.push(evalCase.id);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Yield so several cases overlap when concurrency allows it.
      await new Promise((resolve) => setImmediate(resolve));
      this.hooks.before?.(evalCase);
      return await this.inner.run(evalCase, options);
    } finally {
      this.inFlight -= 1;
    }
  }
}

describe('executeRun', () => {
  let store: SqliteEvalStore;
  let deps: EvalDeps;
  let datasetId: string;
  beforeEach(async () => {
    store = await memoryStore();
    deps = testDeps(store);
    datasetId = (
      await importDataset(deps, {
        tenant: 'lumen',
        datasetName: 'sample',
        jsonl: readText(SAMPLE_DATASET),
        createdBy: 't',
      })
    ).dataset.id;
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs every case with bounded concurrency, reports progress and completes with aggregates', async () => {
    const runner = new CountingRunner();
    const events: RunProgressEvent[] = [];
    const { run, results } = await executeRun(
      { ...deps, runner, onProgress: (e) => events.push(e) },
      { datasetId, concurrency: 3, createdBy: 't' },
    );
    expect(run.status).toBe('completed');
    expect(runner.calls).toHaveLength(10);
    expect(runner.maxInFlight).toBe(3);
    expect(events.map((e) => e.progress.completedCases)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(results.map((r) => r.outcome)).toEqual(new Array(10).fill('passed'));
    expect(run.progress).toEqual({
      totalCases: 10,
      completedCases: 10,
      failedCases: 0,
      erroredCases: 0,
    });
    const names = run.metrics.map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'tool_selection',
        'tool_order',
        'argument_correctness',
        'facts',
        'forbidden_facts',
        'citation_validity',
        'groundedness',
        'format_adherence',
        'latency_ms',
        'total_tokens',
      ]),
    );
    expect(run.metrics.find((m) => m.name === 'latency_ms')).toMatchObject({
      max: 910,
      min: 400,
      p95: 910,
    });
  });

  it('resumes an interrupted run: completed cases are skipped, errored ones retried', async () => {
    const controller = new AbortController();
    let seen = 0;
    const first = new CountingRunner({
      before: (c) => {
        if (c.id === 'globex-support-cases')
          throw new FieldwiseError('DEPENDENCY_UNAVAILABLE', 'agent down');
        if (++seen === 4) controller.abort();
      },
    });
    const stopped = await executeRun(
      { ...deps, runner: first },
      { datasetId, concurrency: 1, createdBy: 't', signal: controller.signal },
    );
    expect(stopped.run.status).toBe('cancelled');
    // Cases 1–4 got results (case 2 errored); case 5 was aborted mid-flight and stays pending.
    expect(stopped.results.map((r) => [r.caseId, r.outcome])).toEqual([
      ['acme-call-prep', 'passed'],
      ['globex-support-cases', 'errored'],
      ['list-price-enterprise-credit', 'passed'],
      ['discount-approver-20-30', 'passed'],
    ]);
    expect(stopped.results[1]).toMatchObject({
      errorCode: 'DEPENDENCY_UNAVAILABLE',
    });

    const second = new CountingRunner();
    const resumed = await resumeRun(
      { ...deps, runner: second },
      stopped.run.id,
      { concurrency: 2 },
    );
    expect(second.calls).not.toContain('acme-call-prep');
    expect(second.calls).not.toContain('list-price-enterprise-credit');
    expect(second.calls).not.toContain('discount-approver-20-30');
    expect(second.calls).toContain('globex-support-cases');
    expect(second.calls).toContain('floor-price-manager');
    expect(second.calls).toHaveLength(7);
    expect(resumed.run).toMatchObject({
      id: stopped.run.id,
      status: 'completed',
      progress: { completedCases: 10, erroredCases: 0 },
    });
    expect(resumed.results.map((r) => r.caseId)).toHaveLength(10);

    await expect(
      resumeRun({ ...deps, runner: second }, stopped.run.id),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('marks the run failed when results cannot be stored, and validates concurrency', async () => {
    const run = await createRun(deps, { datasetId, createdBy: 't' });
    const brokenDeps = {
      ...deps,
      store: new Proxy(store, {
        get: (t, p) =>
          p === 'saveCaseResult'
            ? () => Promise.reject(new Error('disk full'))
            : (Reflect.get(t, p, t) as unknown),
      }),
    };
    await expect(
      continueRun({ ...brokenDeps, runner: new CountingRunner() }, run.id),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await store.getRun(run.id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('INTERNAL') as string,
    });
    await expect(
      continueRun({ ...deps, runner: new CountingRunner() }, run.id, {
        concurrency: 9,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      createRun(deps, { datasetId: 'nope', createdBy: 't' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
