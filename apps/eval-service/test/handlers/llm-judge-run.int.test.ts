import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentServiceService,
  EvalServiceService,
  JudgeKind,
  RunStatus,
} from '@fieldwise/contracts';
import { implementService } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import {
  scripted,
  startScriptedOpenAIServer,
  type ScriptedOpenAIServer,
} from '@fieldwise/llm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalConfig } from '../../src/config.js';
import { evalServiceOptions } from '../../src/server.js';

const CASE = {
  id: 'acme-arr',
  user: { userId: 'u-seller-1', tenant: 'lumen', role: 'seller' },
  request: { message: 'What is the ARR of Acme?' },
  humanLabels: { groundedness: 4 },
};

/** Only Chat, answering every question the same way. */
const agentDouble = implementService(
  { chat: AgentServiceService.chat },
  {
    chat(request, _ctx, send) {
      const conversationId = request.conversationId || 'conv-1';
      send({
        conversationId,
        sequence: 1,
        event: {
          $case: 'final',
          value: {
            conversationId,
            messageId: 'm1',
            answer: 'Acme Corporation has an ARR of $1.2M.',
            citations: [],
            toolCalls: [],
            pendingActions: [],
            usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
          },
        },
      });
    },
  },
);

describe('StartRun with the LLM judge configured (OPENAI_BASE_URL)', () => {
  let root: string;
  let judgeServer: ScriptedOpenAIServer;
  let agent: ServiceUnderTest;
  let evals: ServiceUnderTest;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'eval-judge-run-'));
    judgeServer = await startScriptedOpenAIServer();
    const base = {
      FIELDWISE_DATA_DIR: join(root, 'data'),
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    agent = await startServiceForTest({
      name: 'agent',
      config: loadEvalConfig(base),
      services: () => Promise.resolve([agentDouble]),
    });
    const config = loadEvalConfig({
      ...base,
      AGENT_SERVICE_ADDR: agent.address,
      OPENAI_BASE_URL: judgeServer.baseURL,
      OPENAI_MODEL: 'judge-mini',
      LLM_MAX_RETRIES: '0',
      EVAL_JUDGE_REPEATS: '2',
    });
    evals = await startServiceForTest({
      name: 'eval',
      config,
      ...evalServiceOptions(config),
    });
  });
  afterAll(async () => {
    await evals?.stop();
    await agent?.stop();
    await judgeServer?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('judges each case with the rubric prompts, repeated, and flags a flaky verdict', async () => {
    // 1 case × 3 criteria × 2 repeats; groundedness disagrees with itself.
    judgeServer.enqueue(
      scripted.textStream(['{"score": 5, "rationale": "all supported"}']),
      scripted.textStream(['{"score": 2, "rationale": "ARR unsupported"}']),
      ...Array.from({ length: 4 }, () =>
        scripted.textStream(['{"score": 4, "rationale": "fine"}']),
      ),
    );
    const client = evals.client(EvalServiceService);
    const principalToken = await evals.sign({
      userId: 'u-admin-1',
      tenant: 'lumen',
      roles: ['admin'],
      territories: [],
    });
    const { dataset } = await client.createDataset(
      { name: 'judged', description: '', cases: [] },
      { principalToken },
    );
    await client.importCases(
      {
        datasetId: dataset!.id,
        jsonl: JSON.stringify(CASE),
        replace: true,
        note: '',
      },
      { principalToken },
    );
    const started = await client.startRun(
      {
        datasetId: dataset!.id,
        datasetVersion: 0,
        model: '',
        llmJudge: true,
        thresholds: [],
        label: 'judged',
        concurrency: 1,
      },
      { principalToken },
    );
    expect(started.run?.llmJudge).toBe(true);
    const runId = started.run!.id;
    let last;
    for await (const message of client.streamRunProgress(
      { runId },
      { principalToken, deadlineMs: 30_000 },
    ))
      last = message.run;
    expect(last?.status).toBe(RunStatus.SUCCEEDED);

    expect(judgeServer.requests).toHaveLength(6);
    const { results } = await client.listRunResults(
      { runId, onlyFailures: false },
      { principalToken },
    );
    const judged = results[0]!.metrics.filter((m) => m.judge === JudgeKind.LLM);
    expect(judged.map((m) => m.name).sort()).toEqual([
      'judge_groundedness',
      'judge_helpfulness',
      'judge_relevance',
    ]);
    const groundedness = judged.find((m) => m.name === 'judge_groundedness');
    expect(groundedness?.explanation).toContain('[5, 2]');
    expect(groundedness?.explanation).toContain('FLAKY');
    expect(groundedness?.explanation).toContain('all supported');
  });
});
