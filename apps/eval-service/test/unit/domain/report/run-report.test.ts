import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedAgentRunner } from '../../../../src/adapters/runner/scripted-runner.js';
import type { SqliteEvalStore } from '../../../../src/adapters/store/sqlite-eval-store.js';
import { importDataset } from '../../../../src/domain/dataset/import-dataset.js';
import { escapeHtml } from '../../../../src/domain/report/html.js';
import {
  perToolAccuracy,
  renderRunReport,
} from '../../../../src/domain/report/run-report.js';
import { executeRun } from '../../../../src/domain/run/execute-run.js';
import {
  degradedRecording,
  memoryStore,
  readText,
  SAMPLE_DATASET,
  testDeps,
} from '../../../helpers/fixtures.js';

const ATTACK = '<script>alert("pwned")</script><img src=x onerror=alert(1)>';

describe('run report', () => {
  let store: SqliteEvalStore;
  beforeEach(async () => {
    store = await memoryStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('is self-contained HTML with inline SVG charts, lists failing cases and escapes attacker text', async () => {
    const deps = testDeps(store);
    const { dataset } = await importDataset(deps, {
      tenant: 'lumen',
      datasetName: 'sample',
      jsonl: readText(SAMPLE_DATASET),
      createdBy: 't',
    });
    const recording = degradedRecording().map((l) =>
      !('error' in l) && l.caseId === 'sakura-rail-case-study'
        ? {
            ...l,
            answer: `${ATTACK} Sakura Rail made it faster.`,
            toolCalls: [{ ...l.toolCalls[0]!, arguments: { query: ATTACK } }],
          }
        : l,
    );
    const { run, results } = await executeRun(
      { ...deps, runner: new ScriptedAgentRunner(recording) },
      { datasetId: dataset.id, createdBy: 't', label: `<b>label</b>` },
    );
    const html = renderRunReport({ run, results, datasetName: '<sample>' });

    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/\b(?:src|href)=["']?https?:/i);
    expect(html).toContain(escapeHtml('<script>alert("pwned")</script>'));
    expect(html).toContain('&lt;b&gt;label&lt;/b&gt;');
    expect(html).toContain('&lt;sample&gt;');
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('Per-tool accuracy');
    expect(html).toContain('Latency (ms)');
    expect(html).toContain('Failing cases (5)');
    expect(html).toContain('sakura-rail-case-study');
    expect(html).toContain('missing: &quot;4 hours&quot;');
  });

  it('computes per-tool accuracy from tool selection details', async () => {
    const deps = testDeps(store);
    const { dataset } = await importDataset(deps, {
      tenant: 'lumen',
      datasetName: 'sample',
      jsonl: readText(SAMPLE_DATASET),
      createdBy: 't',
    });
    const { results } = await executeRun(
      { ...deps, runner: new ScriptedAgentRunner(degradedRecording()) },
      { datasetId: dataset.id, createdBy: 't' },
    );
    const accuracy = Object.fromEntries(
      perToolAccuracy(results).map((b) => [b.label, b.value]),
    );
    expect(accuracy).toMatchObject({
      account_360: 0.5,
      support_cases: 0,
      search_collateral: 1,
      find_accounts: 1,
    });
  });
});
