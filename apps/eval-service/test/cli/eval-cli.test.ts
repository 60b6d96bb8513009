import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedAgentRunner } from '../../src/adapters/runner/scripted-runner.js';
import { SqliteEvalStore } from '../../src/adapters/store/sqlite-eval-store.js';
import {
  runEvalCli,
  type EvalCliEnvironment,
} from '../../src/cli/run-eval-cli.js';
import {
  degradedRecording,
  GOOD_RECORDING,
  PACKAGE_ROOT,
  silentLogger,
  toJsonl,
} from '../helpers/fixtures.js';

describe('eval CLI', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  let env: EvalCliEnvironment;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eval-cli-'));
    out = [];
    err = [];
    env = {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      logger: silentLogger,
      runnerFactories: new Map([
        ['scripted', (file: string) => ScriptedAgentRunner.fromFile(file)],
      ]),
      openStore: () =>
        SqliteEvalStore.open({ dataDir: dir, logger: silentLogger }),
      datasetDir: join(PACKAGE_ROOT, '..', '..', 'data', 'eval'),
    };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const summary = (): {
    runId: string;
    passed: boolean;
    metrics: Record<string, number>;
    comparison?: { hasRegressions: boolean; outcomeRegressions: string[] };
  } => JSON.parse(out.join('')) as never;

  it('passes the gate on the good recording, then fails it on a degraded one compared with the good run', async () => {
    const report = join(dir, 'good.html');
    const code = await runEvalCli(
      [
        '--dataset',
        'sample',
        '--runner',
        `scripted:${GOOD_RECORDING}`,
        '--fail-under',
        'tool_selection=0.9,facts=0.85',
        '--report',
        report,
      ],
      env,
    );
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const good = summary();
    expect(good).toMatchObject({
      passed: true,
      metrics: { tool_selection: 1, facts: 1 },
    });
    expect(readFileSync(report, 'utf8')).toContain('<svg ');

    const degradedFile = join(dir, 'degraded.jsonl');
    writeFileSync(degradedFile, toJsonl(degradedRecording()));
    out = [];
    const reportBad = join(dir, 'bad.html');
    const badCode = await runEvalCli(
      [
        '--dataset',
        'sample',
        '--runner',
        `scripted:${degradedFile}`,
        '--fail-under',
        'tool_selection=0.9,facts=0.85',
        '--compare',
        good.runId,
        '--report',
        reportBad,
      ],
      env,
    );
    expect(badCode).toBe(1);
    const bad = summary();
    expect(bad.passed).toBe(false);
    expect(bad.metrics['tool_selection']).toBeLessThan(0.9);
    expect(bad.comparison?.hasRegressions).toBe(true);
    expect(bad.comparison?.outcomeRegressions).toContain(
      'list-price-enterprise-credit',
    );
    expect(err.join('')).toMatch(
      /eval gate FAILED: tool_selection=0\.\d+ outside bound.*regressions against/,
    );
    expect(readFileSync(reportBad, 'utf8')).toContain('Regressions found.');
  });

  it('fails on regressions alone (compare with the latest run), without thresholds', async () => {
    expect(
      await runEvalCli(
        ['--dataset', 'sample', '--runner', `scripted:${GOOD_RECORDING}`],
        env,
      ),
    ).toBe(0);
    const degradedFile = join(dir, 'degraded.jsonl');
    writeFileSync(degradedFile, toJsonl(degradedRecording()));
    expect(
      await runEvalCli(
        [
          '--dataset',
          'sample',
          '--runner',
          `scripted:${degradedFile}`,
          '--compare',
          'latest',
        ],
        env,
      ),
    ).toBe(1);
  });

  it('exits 2 with a clear message on bad usage, an unknown runner, a bad recording or an unknown dataset', async () => {
    expect(await runEvalCli(['--dataset', 'sample'], env)).toBe(2);
    expect(err.join('')).toContain('VALIDATION_FAILED: runner: is required');
    err = [];
    expect(
      await runEvalCli(
        ['--dataset', 'sample', '--runner', 'grpc:localhost:1'],
        env,
      ),
    ).toBe(2);
    expect(err.join('')).toContain('kind one of scripted');
    err = [];
    expect(
      await runEvalCli(
        [
          '--dataset',
          'sample',
          '--runner',
          `scripted:${GOOD_RECORDING}`,
          '--fail-under',
          'facts>1',
        ],
        env,
      ),
    ).toBe(2);
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"caseId":"x"}\n');
    err = [];
    expect(
      await runEvalCli(
        ['--dataset', 'sample', '--runner', `scripted:${broken}`],
        env,
      ),
    ).toBe(2);
    expect(err.join('')).toContain('line 1');
    err = [];
    expect(
      await runEvalCli(
        ['--dataset', 'no-such-set', '--runner', `scripted:${GOOD_RECORDING}`],
        env,
      ),
    ).toBe(2);
    expect(err.join('')).toContain('NOT_FOUND');
  });

  it('fails the gate when cases error (a missing recording) unless allowed, and on a max bound', async () => {
    const partial = join(dir, 'partial.jsonl');
    writeFileSync(
      partial,
      readFileSync(GOOD_RECORDING, 'utf8').split('\n').slice(0, 5).join('\n'),
    );
    expect(
      await runEvalCli(
        ['--dataset', 'sample', '--runner', `scripted:${partial}`],
        env,
      ),
    ).toBe(1);
    expect(err.join('')).toContain('5 case(s) errored (allowed 0)');
    expect(
      await runEvalCli(
        [
          '--dataset',
          'sample',
          '--runner',
          `scripted:${partial}`,
          '--max-errored',
          '5',
        ],
        env,
      ),
    ).toBe(0);
    expect(
      await runEvalCli(
        [
          '--dataset',
          'sample',
          '--runner',
          `scripted:${partial}`,
          '--max-errored',
          '5',
          '--fail-over',
          'latency_ms_max=700',
        ],
        env,
      ),
    ).toBe(1);
  });
});
