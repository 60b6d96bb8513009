// The whole agent evaluation set (data/eval/agent-v1.jsonl) through the eval
// CLI against the real services, started in-process exactly as their main.ts
// wires them: crm-service (GOLD data seeded), retrieval-service (the
// collateral corpus ingested) and agent-service on its offline planner.
// Tests may import across apps; sources may not (eslint.config.mjs).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteOutbox } from '@fieldwise/events';
import { resolvePrincipalKey } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp } from '../../../agent-service/src/app.js';
import { loadAgentConfig } from '../../../agent-service/src/config.js';
import { SqliteCrmStore } from '../../../crm-service/src/adapters/store/sqlite-crm-store.js';
import {
  DEFAULT_DOMAIN_FILE,
  loadVocabulary,
} from '../../../crm-service/src/cli/args.js';
import { loadCrmConfig } from '../../../crm-service/src/config.js';
import { DEFAULT_REFERENCE_DATE } from '../../../crm-service/src/domain/index.js';
import {
  buildCrmServices,
  referenceClock,
  seedGoldIfEmpty,
} from '../../../crm-service/src/server.js';
import { loadRetrievalConfig } from '../../../retrieval-service/src/config.js';
import { retrievalServiceOptions } from '../../../retrieval-service/src/server.js';
import {
  openGrpcRunnerFactory,
  type GrpcRunnerFactory,
} from '../../src/adapters/runner/grpc-runner-factory.js';
import { SqliteEvalStore } from '../../src/adapters/store/sqlite-eval-store.js';
import { runEvalCli } from '../../src/cli/run-eval-cli.js';
import { parseCasesJsonl } from '../../src/domain/index.js';
import { PACKAGE_ROOT, silentLogger } from '../helpers/fixtures.js';

const REPO_ROOT = resolve(PACKAGE_ROOT, '..', '..');
const DATASET_DIR = join(REPO_ROOT, 'data', 'eval');
/** The word-vector cache the retrieval tests share (converted once per checkout). */
const VECTOR_CACHE_DIR = join(REPO_ROOT, 'apps/retrieval-service/.data/cache');
/** The agent's "today": the GOLD data's reference date, as the planner's date ranges assume. */
const GOLD_TODAY = new Date(`${DEFAULT_REFERENCE_DATE}T12:00:00.000Z`);
const GATE = 'tool_selection=0.9,facts=0.85';
// A guard against hangs, not a speed check: 91 cases over gRPC on a shared 2-core machine.
const HANG_GUARD_MS = 600_000;

interface CliSummary {
  readonly runId: string;
  readonly status: string;
  readonly progress: {
    readonly totalCases: number;
    readonly completedCases: number;
    readonly erroredCases: number;
  };
  readonly metrics: Record<string, number>;
  readonly thresholds: { passed: boolean; threshold: { metric: string } }[];
  readonly comparison?: {
    readonly baseRunId: string;
    readonly hasRegressions: boolean;
    readonly regressedMetrics: string[];
    readonly outcomeRegressions: string[];
    readonly caseRegressions: number;
  };
  readonly passed: boolean;
}

describe('the agent evaluation set against the real agent, crm and retrieval services', () => {
  const root = mkdtempSync(join(tmpdir(), 'eval-full-'));
  // One key for every service, as a deployment shares FIELDWISE_PRINCIPAL_KEY.
  const key = randomBytes(32).toString('base64');
  const base = (name: string) => ({
    FIELDWISE_DATA_DIR: join(root, name),
    FIELDWISE_PRINCIPAL_KEY: key,
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const services: ServiceUnderTest[] = [];
  let crmAddress = '';
  let retrievalAddress = '';
  const agents = new Map<string, string>();
  const factories: GrpcRunnerFactory[] = [];
  let outbox: SqliteOutbox;
  const caseCount = parseCasesJsonl(
    readFileSync(join(DATASET_DIR, 'agent-v1.jsonl'), 'utf8'),
  ).cases.length;

  async function startAgent(
    name: string,
    extra: Record<string, string>,
  ): Promise<string> {
    const config = loadAgentConfig({
      ...base(name),
      CRM_SERVICE_ADDR: crmAddress,
      RETRIEVAL_SERVICE_ADDR: retrievalAddress,
      ...extra,
    });
    let close: (() => Promise<void>) | undefined;
    const agent = await startServiceForTest({
      name,
      config,
      services: async (runtime) => {
        const app = await createAgentApp(config, runtime, {
          clock: () => GOLD_TODAY,
        });
        close = () => app.close();
        return app.services;
      },
      onShutdown: async () => {
        await close?.();
      },
    });
    services.push(agent);
    return agent.address;
  }

  beforeAll(async () => {
    // 1. crm-service on seeded GOLD data.
    const crmConfig = loadCrmConfig(base('crm'));
    const crmStore = await SqliteCrmStore.open({
      dataDir: crmConfig.FIELDWISE_DATA_DIR,
      logger: silentLogger,
    });
    const vocabulary = loadVocabulary(DEFAULT_DOMAIN_FILE);
    await seedGoldIfEmpty(
      crmStore,
      vocabulary,
      { referenceDate: DEFAULT_REFERENCE_DATE },
      silentLogger,
    );
    const crmOutbox = SqliteOutbox.open({
      dataDir: crmConfig.FIELDWISE_DATA_DIR,
      fileName: 'crm-outbox.sqlite',
      logger: silentLogger,
    });
    const crm = await startServiceForTest({
      name: 'crm',
      config: crmConfig,
      services: ({ logger }) =>
        Promise.resolve(
          buildCrmServices({
            store: crmStore,
            outbox: crmOutbox,
            vocabulary,
            clock: referenceClock(DEFAULT_REFERENCE_DATE),
            logger,
          }),
        ),
      onShutdown: async () => {
        crmOutbox.close();
        await crmStore.close();
      },
    });
    services.push(crm);
    crmAddress = crm.address;

    // 2. retrieval-service with the collateral corpus ingested.
    const retrievalConfig = loadRetrievalConfig({
      ...base('retrieval'),
      RETRIEVAL_CORPUS_DIR: join(REPO_ROOT, 'data', 'collateral'),
      RETRIEVAL_INGEST_ON_START: 'true',
      RETRIEVAL_EMBEDDINGS_CACHE_DIR: VECTOR_CACHE_DIR,
    });
    const retrieval = await startServiceForTest({
      name: 'retrieval',
      config: retrievalConfig,
      ...retrievalServiceOptions(retrievalConfig),
    });
    services.push(retrieval);
    retrievalAddress = retrieval.address;

    // 3. The agent as deployed, and a deliberately degraded one: one tool call per turn,
    //    so every follow-up tool (account_360 after find_accounts…) is dropped.
    agents.set('good', await startAgent('agent-good', {}));
    agents.set(
      'degraded',
      await startAgent('agent-degraded', { AGENT_MAX_TOOL_CALLS: '1' }),
    );

    // 4. The eval side: impersonation audited in its own outbox.
    outbox = SqliteOutbox.open({
      dataDir: join(root, 'eval'),
      fileName: 'eval-outbox.sqlite',
      logger: silentLogger,
    });
  }, HANG_GUARD_MS);

  afterAll(async () => {
    for (const factory of factories) factory.close();
    outbox?.close();
    for (const service of services.reverse()) await service.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function evalCli(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runEvalCli(argv, {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      logger: silentLogger,
      runnerFactories: new Map([
        [
          'grpc',
          async (agentName: string) => {
            const factory = openGrpcRunnerFactory({
              agentAddress: agents.get(agentName) ?? agentName,
              crmAddress,
              retrievalAddress,
              key: await resolvePrincipalKey(base('eval')),
              outbox,
              logger: silentLogger,
            });
            factories.push(factory);
            return factory.runnerFor();
          },
        ],
      ]),
      openStore: () =>
        SqliteEvalStore.open({
          dataDir: join(root, 'eval'),
          logger: silentLogger,
        }),
      datasetDir: DATASET_DIR,
    });
    // EVAL_FULL_RUN_OUT=<dir> keeps each run's CLI summary for inspection.
    const keep = process.env['EVAL_FULL_RUN_OUT'];
    if (keep) writeFileSync(join(keep, `${argv[3]}.json`), out.join(''));
    return {
      code,
      err: err.join(''),
      summary: JSON.parse(out.join('')) as CliSummary,
    };
  }

  let goodRunId = '';

  it(
    `runs all ${caseCount} cases against the real agent, passes the gate and writes the HTML report`,
    async () => {
      expect(caseCount).toBe(91);
      const report = join(root, 'good.html');
      const { code, err, summary } = await evalCli([
        '--dataset',
        'agent-v1',
        '--runner',
        'grpc:good',
        '--fail-under',
        GATE,
        '--concurrency',
        '4',
        '--report',
        report,
        '--label',
        'offline planner',
      ]);
      expect(err, JSON.stringify(summary.thresholds)).toBe('');
      expect(code).toBe(0);
      goodRunId = summary.runId;
      expect(summary).toMatchObject({
        status: 'completed',
        passed: true,
        progress: { totalCases: 91, completedCases: 91, erroredCases: 0 },
      });
      for (const metric of [
        'tool_selection',
        'argument_correctness',
        'facts',
        'groundedness',
        'citation_validity',
        'format_adherence',
        'latency_ms',
      ]) {
        expect(summary.metrics, metric).toHaveProperty(metric);
      }
      expect(summary.metrics['tool_selection']).toBeGreaterThanOrEqual(0.9);

      const html = readFileSync(report, 'utf8');
      expect(html).toMatch(/^<!doctype html>/i);
      // Self-contained: no external script, style or image.
      expect(html).not.toMatch(
        /<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/i,
      );
      expect(html).toContain('<h2>Charts</h2>');
      expect(html).toContain('<svg ');
      for (const metric of ['tool_selection', 'groundedness', 'latency_ms'])
        expect(html).toContain(metric);
      expect(html).toContain('Failing cases');
    },
    HANG_GUARD_MS,
  );

  it(
    'flags the degraded agent as a regression against the good run, and the CLI exits non-zero',
    async () => {
      expect(goodRunId).not.toBe('');
      const report = join(root, 'degraded.html');
      const { code, err, summary } = await evalCli([
        '--dataset',
        'agent-v1',
        '--runner',
        'grpc:degraded',
        '--fail-under',
        GATE,
        '--compare',
        goodRunId,
        '--concurrency',
        '4',
        '--report',
        report,
      ]);
      expect(code).toBe(1);
      expect(err).toContain('eval gate FAILED');
      expect(err).toContain(`regressions against ${goodRunId}`);
      expect(summary.passed).toBe(false);
      expect(summary.comparison).toMatchObject({
        baseRunId: goodRunId,
        hasRegressions: true,
      });
      expect(summary.comparison?.regressedMetrics).toContain('tool_selection');
      expect(summary.comparison?.caseRegressions).toBeGreaterThan(10);
      expect(summary.comparison?.outcomeRegressions).toContain('a360-acme');
      expect(
        summary.thresholds.find((t) => t.threshold.metric === 'tool_selection')
          ?.passed,
      ).toBe(false);

      // The failing cases carry their transcripts: the question and the degraded answer.
      const html = readFileSync(report, 'utf8');
      expect(html).toContain(`Comparison with ${goodRunId}`);
      expect(html).toContain('<h3>Transcript</h3>');
      expect(html).toContain('a360-acme');
      expect(html).toContain(
        'What should I know before my call with Acme Corporation?',
      );
      expect(html).toContain('<h3>Tool calls</h3>');
      expect(html).toMatch(/<td>find_accounts<\/td><td>executed<\/td>/);
    },
    HANG_GUARD_MS,
  );
});
