import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedAgentRunner } from '../../../../src/adapters/runner/scripted-runner.js';
import type { SqliteEvalStore } from '../../../../src/adapters/store/sqlite-eval-store.js';
import {
  compareRuns,
  compareStoredRuns,
} from '../../../../src/domain/compare/compare-runs.js';
import {
  evaluateThresholds,
  parseThresholdList,
} from '../../../../src/domain/compare/thresholds.js';
import { importDataset } from '../../../../src/domain/dataset/import-dataset.js';
import type { EvalDeps } from '../../../../src/domain/deps.js';
import { executeRun } from '../../../../src/domain/run/execute-run.js';
import { renderComparisonReport } from '../../../../src/domain/report/comparison-report.js';
import {
  degradedRecording,
  goodRecording,
  memoryStore,
  readText,
  SAMPLE_DATASET,
  testDeps,
} from '../../../helpers/fixtures.js';

describe('comparing a degraded run with a good run', () => {
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

  it('flags the cases that stopped passing, the metrics that dropped, and nothing when comparing a run with itself', async () => {
    const good = await executeRun(
      { ...deps, runner: new ScriptedAgentRunner(goodRecording()) },
      { datasetId, createdBy: 't', label: 'good' },
    );
    const bad = await executeRun(
      { ...deps, runner: new ScriptedAgentRunner(degradedRecording()) },
      { datasetId, createdBy: 't', label: 'degraded' },
    );
    const comparison = await compareStoredRuns(deps, good.run.id, bad.run.id);
    expect(comparison.hasRegressions).toBe(true);
    expect(comparison.outcomeRegressions.map((o) => o.caseId).sort()).toEqual([
      'acme-call-prep',
      'floor-price-seller-denied',
      'globex-support-cases',
      'list-price-enterprise-credit',
      'sakura-rail-case-study',
    ]);
    const flagged = new Set(
      comparison.regressions.map((r) => `${r.caseId}:${r.metric}`),
    );
    for (const key of [
      'acme-call-prep:tool_selection',
      'acme-call-prep:tool_order',
      'acme-call-prep:argument_correctness',
      'list-price-enterprise-credit:citation_validity',
      'list-price-enterprise-credit:facts',
      'list-price-enterprise-credit:groundedness',
      'floor-price-seller-denied:forbidden_facts',
      'sakura-rail-case-study:facts',
      'globex-support-cases:tool_selection',
    ]) {
      expect(flagged).toContain(key);
    }
    expect(comparison.regressions.every((r) => r.flipped)).toBe(true);
    const regressedMetrics = comparison.metrics
      .filter((m) => m.regressed)
      .map((m) => m.metric);
    expect(regressedMetrics).toEqual(
      expect.arrayContaining([
        'tool_selection',
        'facts',
        'citation_validity',
        'forbidden_facts',
      ]),
    );
    expect(comparison.improvements).toEqual([]);

    const self = compareRuns(
      { run: good.run, results: good.results },
      { run: good.run, results: good.results },
    );
    expect(self).toMatchObject({
      hasRegressions: false,
      regressions: [],
      outcomeRegressions: [],
    });

    // Reversed, the same changes are improvements.
    const reversed = await compareStoredRuns(deps, bad.run.id, good.run.id);
    expect(reversed.hasRegressions).toBe(false);
    expect(reversed.improvements.length).toBe(comparison.regressions.length);

    const html = renderComparisonReport({
      base: good.run,
      candidate: bad.run,
      candidateResults: bad.results,
      datasetName: 'sample',
      comparison,
    });
    expect(html).toContain('Regressions found.');
    expect(html).toContain('list-price-enterprise-credit');
  });

  it('treats a latency rise beyond the relative tolerance as an aggregate regression', async () => {
    const good = await executeRun(
      { ...deps, runner: new ScriptedAgentRunner(goodRecording()) },
      { datasetId, createdBy: 't' },
    );
    const slow = await executeRun(
      {
        ...deps,
        runner: new ScriptedAgentRunner(
          goodRecording().map((l) =>
            'error' in l ? l : { ...l, latencyMs: l.latencyMs * 2 },
          ),
        ),
      },
      { datasetId, createdBy: 't' },
    );
    const comparison = await compareStoredRuns(
      deps,
      good.run.id,
      slow.run.id,
      0.2,
    );
    expect(
      comparison.metrics.find((m) => m.metric === 'latency_ms')?.regressed,
    ).toBe(true);
    expect(comparison.regressions).toEqual([]);
    expect(comparison.hasRegressions).toBe(true);
  });

  it('refuses runs of different datasets and unknown runs', async () => {
    const other = (
      await importDataset(deps, {
        tenant: 'lumen',
        datasetName: 'other',
        jsonl: readText(SAMPLE_DATASET),
        createdBy: 't',
      })
    ).dataset.id;
    const a = await executeRun(
      { ...deps, runner: new ScriptedAgentRunner(goodRecording()) },
      { datasetId, createdBy: 't' },
    );
    const b = await executeRun(
      { ...deps, runner: new ScriptedAgentRunner(goodRecording()) },
      { datasetId: other, createdBy: 't' },
    );
    await expect(
      compareStoredRuns(deps, a.run.id, b.run.id),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(
      compareStoredRuns(deps, a.run.id, 'run_missing'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('thresholds', () => {
  const summaries = [
    {
      name: 'tool_selection',
      mean: 0.85,
      min: 0,
      max: 1,
      p95: 1,
      count: 10,
      passRate: 0.8,
    },
    { name: 'latency_ms', mean: 700, min: 400, max: 910, p95: 910, count: 10 },
  ];

  it('parses --fail-under / --fail-over lists and checks means and named statistics', () => {
    const thresholds = [
      ...parseThresholdList(
        'tool_selection=0.9, tool_selection_pass_rate=0.8',
        'min',
      ),
      ...parseThresholdList('latency_ms_p95=1000,facts=1', 'max'),
    ];
    expect(
      evaluateThresholds(summaries, thresholds).map((r) => [
        r.threshold.metric,
        r.actual,
        r.passed,
      ]),
    ).toEqual([
      ['tool_selection', 0.85, false],
      ['tool_selection_pass_rate', 0.8, true],
      ['latency_ms_p95', 910, true],
      ['facts', undefined, false],
    ]);
  });

  it('rejects malformed entries', () => {
    expect(() => parseThresholdList('tool_selection>0.9', 'min')).toThrow(
      /not name=number/,
    );
  });
});
