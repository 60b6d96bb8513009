import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  scripted,
  startScriptedOpenAIServer,
  type ReceivedRequest,
  type ScriptedOpenAIServer,
} from '@fieldwise/llm/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJudgeFromConfig } from '../../../src/adapters/judge/judge-from-config.js';
import { ScriptedAgentRunner } from '../../../src/adapters/runner/scripted-runner.js';
import { SqliteEvalStore } from '../../../src/adapters/store/sqlite-eval-store.js';
import { runEvalCli } from '../../../src/cli/run-eval-cli.js';
import { loadJudgeConfig } from '../../../src/config.js';
import {
  EvalCaseSchema,
  judgeCase,
  parseCasesJsonl,
  type AgentTurn,
} from '../../../src/domain/index.js';
import {
  GOOD_RECORDING,
  PACKAGE_ROOT,
  silentLogger,
} from '../../helpers/fixtures.js';

const DATASET_DIR = join(PACKAGE_ROOT, '..', '..', 'data', 'eval');

const reply = (score: number | string, rationale = 'because') =>
  scripted.textStream([
    typeof score === 'string'
      ? score
      : JSON.stringify({ score, rationale: `${rationale} (${score})` }),
  ]);

function userText(request: ReceivedRequest): string {
  const user = request.body?.messages?.find((m) => m['role'] === 'user');
  return typeof user?.['content'] === 'string' ? user['content'] : '';
}

function systemText(request: ReceivedRequest): string {
  const system = request.body?.messages?.find((m) => m['role'] === 'system');
  return typeof system?.['content'] === 'string' ? system['content'] : '';
}

describe('LLM-as-a-judge over the OpenAI protocol', () => {
  let server: ScriptedOpenAIServer;
  const judgeFor = (repeats = '3') =>
    createJudgeFromConfig(
      loadJudgeConfig({
        OPENAI_BASE_URL: server.baseURL,
        OPENAI_MODEL: 'judge-mini',
        LLM_MAX_RETRIES: '0',
        EVAL_JUDGE_REPEATS: repeats,
        EVAL_JUDGE_TEMPERATURE: '0.9',
      }),
      silentLogger,
    );

  beforeAll(async () => {
    server = await startScriptedOpenAIServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
  });

  it('is unavailable without a configured model', () => {
    expect(createJudgeFromConfig(loadJudgeConfig({}), silentLogger)).toBe(
      undefined,
    );
  });

  it('scores each rubric N times with a rationale, flags a flaky criterion and counts unusable replies', async () => {
    const settings = judgeFor();
    expect(settings).toMatchObject({ repeats: 3, passScore: 4 });
    server.enqueue(
      // groundedness: 5, 2, 4 → flaky (spans 3 points)
      reply(5),
      reply('```json\n{"score": 2, "rationale": "one claim unsupported"}\n```'),
      reply(4),
      // relevance: stable
      reply(4),
      reply(4),
      reply(4),
      // helpfulness: one reply without a verdict
      reply('It is quite helpful overall.'),
      reply(3),
      reply(3),
    );
    const evalCase = EvalCaseSchema.parse({
      id: 'acme',
      user: { userId: 'u1', tenant: 'lumen', role: 'seller' },
      request: { message: 'Who owns Acme?' },
      referenceAnswer: 'Daniel Wagner owns Acme.',
    });
    const turn: AgentTurn = {
      answer: 'Daniel Wagner owns Acme.',
      toolCalls: [],
      citations: [],
      retrieved: [],
      toolResults: [{ name: 'account_360', content: 'owner: Daniel Wagner' }],
      latencyMs: 5,
      usage: { inputTokens: 0, outputTokens: 0 },
    };
    const { verdicts, metrics } = await judgeCase(settings!, evalCase, turn);

    expect(verdicts).toMatchObject([
      { criterion: 'groundedness', scores: [5, 2, 4], flaky: true, invalid: 0 },
      { criterion: 'relevance', scores: [4, 4, 4], flaky: false, mean: 4 },
      { criterion: 'helpfulness', scores: [3, 3], invalid: 1, flaky: false },
    ]);
    expect(verdicts[0]?.rationales[1]).toBe('one claim unsupported');
    expect(metrics.map((m) => [m.name, m.judge, m.passed])).toEqual([
      ['judge_groundedness', 'llm', false],
      ['judge_relevance', 'llm', true],
      ['judge_helpfulness', 'llm', false],
    ]);
    expect(metrics[0]?.explanation).toContain('FLAKY');

    // The wire: rubric as system prompt, the case as data, the configured model and temperature.
    expect(server.requests).toHaveLength(9);
    const first = server.requests[0]!;
    expect(first.body).toMatchObject({ model: 'judge-mini', temperature: 0.9 });
    expect(systemText(first)).toContain('GROUNDEDNESS');
    expect(systemText(server.requests[3]!)).toContain('RELEVANCE');
    expect(systemText(server.requests[6]!)).toContain('HELPFULNESS');
    expect(userText(first)).toContain('owner: Daniel Wagner');
    expect(userText(first)).toContain('Reference answer');
  });

  describe('through the eval CLI', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'eval-judge-'));
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runEvalCli(argv, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        logger: silentLogger,
        runnerFactories: new Map([
          ['scripted', (file: string) => ScriptedAgentRunner.fromFile(file)],
        ]),
        openStore: () =>
          SqliteEvalStore.open({ dataDir: dir, logger: silentLogger }),
        datasetDir: DATASET_DIR,
        judge: () => judgeFor(),
      });
      return { code, out: out.join(''), err: err.join('') };
    };

    it('judges every case N times and reports agreement with the human labels', async () => {
      // The judge gives each labelled case its human groundedness score, and 5 for relevance
      // and helpfulness; unlabelled cases get 3 everywhere.
      const { cases } = parseCasesJsonl(
        readFileSync(join(DATASET_DIR, 'sample.jsonl'), 'utf8'),
      );
      const labelOf = (prompt: string) =>
        cases.find((c) =>
          prompt.includes(
            'message' in c.request ? c.request.message : c.request.turns[0]!,
          ),
        )?.humanLabels;
      const judged = (request: ReceivedRequest) => {
        const labels = labelOf(userText(request));
        const system = systemText(request);
        if (labels === undefined) return reply(3);
        if (system.includes('GROUNDEDNESS')) return reply(labels.groundedness!);
        return reply(system.includes('RELEVANCE') ? 5 : 4);
      };
      // 10 cases × 3 criteria × 2 repeats.
      server.enqueue(...Array.from({ length: 60 }, () => judged));
      const report = join(dir, 'judged.html');
      const { code, out, err } = await run([
        '--dataset',
        'sample',
        '--runner',
        `scripted:${GOOD_RECORDING}`,
        '--judge',
        '--judge-repeats',
        '2',
        '--report',
        report,
      ]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(server.requests).toHaveLength(60);
      const summary = JSON.parse(out) as {
        metrics: Record<string, number>;
        judge: {
          model: string;
          flakyVerdicts: number;
          agreement: {
            criterion: string;
            pairs: number;
            weightedKappa: number | null;
          }[];
        };
      };
      expect(summary.metrics).toHaveProperty('judge_groundedness');
      expect(summary.judge.model).toBe('openai-compatible/judge-mini');
      expect(summary.judge.flakyVerdicts).toBe(0);
      const groundedness = summary.judge.agreement.find(
        (a) => a.criterion === 'groundedness',
      );
      expect(groundedness).toMatchObject({ pairs: 4, weightedKappa: 1 });
      const html = readFileSync(report, 'utf8');
      expect(html).toContain('Agreement with human labels');
      expect(html).toContain('judge_groundedness');
    });

    it('refuses --judge when no judge model is configured (exit 2)', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runEvalCli(
        [
          '--dataset',
          'sample',
          '--runner',
          `scripted:${GOOD_RECORDING}`,
          '--judge',
        ],
        {
          stdout: (t) => out.push(t),
          stderr: (t) => err.push(t),
          logger: silentLogger,
          runnerFactories: new Map([
            ['scripted', (file: string) => ScriptedAgentRunner.fromFile(file)],
          ]),
          openStore: () =>
            SqliteEvalStore.open({ dataDir: dir, logger: silentLogger }),
          datasetDir: DATASET_DIR,
          judge: () => undefined,
        },
      );
      expect(code).toBe(2);
      expect(err.join('')).toContain('needs a judge model');
    });
  });
});
