import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentServiceService,
  CaseOutcome,
  EvalServiceService,
  RunStatus,
  ToolCallStatus,
  type StreamRunProgressResponse,
} from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import { readOutbox, verifyAuditChain } from '@fieldwise/events';
import { implementService, type GrpcServiceClient } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import type { Principal } from '@fieldwise/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import {
  candidateFromFeedback,
  feedbackIntakeSchema,
} from '../../src/adapters/feedback/feedback-intake.js';
import { SqliteEvalStore } from '../../src/adapters/store/sqlite-eval-store.js';
import { loadEvalConfig } from '../../src/config.js';
import { EVAL_OUTBOX_FILE, evalServiceOptions } from '../../src/server.js';

const PERMISSION_DENIED = 7;
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;

/** What the scripted agent saw on each Chat call. */
interface SeenChat {
  readonly principal: Principal;
  readonly evalRunId: string;
  readonly message: string;
}

function unimplemented(): never {
  throw new FieldwiseError('UNIMPLEMENTED', 'not in the scripted agent');
}

/**
 * A real gRPC AgentService that answers from a script: a question with
 * "fail" ends in an error event; any other gets a find_accounts call and an
 * answer naming Acme with its ARR; "slow" blocks while `gate.blockSlow`.
 */
function scriptedAgent(seen: SeenChat[], gate: { blockSlow: boolean }) {
  return implementService(AgentServiceService, {
    async chat(request, ctx, send) {
      seen.push({
        principal: ctx.principal,
        evalRunId: request.evalRunId,
        message: request.message,
      });
      if (request.message.includes('slow') && gate.blockSlow) {
        // Holds the turn until the caller gives up (cancel), like a stuck model.
        await new Promise<void>((resolve) =>
          ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        return;
      }
      const conversationId = request.conversationId || 'conv-1';
      if (request.message.includes('fail')) {
        send({
          conversationId,
          sequence: 1,
          event: {
            $case: 'error',
            value: {
              code: 'DEPENDENCY_UNAVAILABLE',
              message: 'crm down',
              retryable: true,
            },
          },
        });
        return;
      }
      const toolCall = {
        id: 'c1',
        name: 'find_accounts',
        argumentsJson: '{"query":"Acme"}',
        status: ToolCallStatus.EXECUTED,
        summary: 'Acme Corporation, ARR $1.2M',
        errorCode: '',
        pendingActionId: '',
        durationMs: 3,
      };
      send({
        conversationId,
        sequence: 1,
        event: {
          $case: 'toolCall',
          value: {
            id: 'c1',
            name: 'find_accounts',
            argumentsJson: '{"query":"Acme"}',
          },
        },
      });
      send({
        conversationId,
        sequence: 2,
        event: {
          $case: 'final',
          value: {
            conversationId,
            messageId: 'm1',
            answer: 'Acme Corporation has an ARR of $1.2M.',
            citations: [],
            toolCalls: [toolCall],
            pendingActions: [],
            usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
          },
        },
      });
    },
    confirmAction: unimplemented,
    rejectAction: unimplemented,
    listConversations: unimplemented,
    getConversation: unimplemented,
    submitFeedback: unimplemented,
    listModels: unimplemented,
    getModelInfo: unimplemented,
  });
}

const JSONL = [
  {
    id: 'acme-arr',
    user: { userId: 'u-seller-1', tenant: 'lumen', role: 'seller' },
    request: { message: 'What is the ARR of Acme?' },
    expectedTools: {
      calls: [
        {
          name: 'find_accounts',
          arguments: { query: { match: 'contains', value: 'acme' } },
        },
      ],
    },
    requiredFacts: ['$1.2M'],
  },
  {
    id: 'agent-fails',
    user: { userId: 'u-manager-1', tenant: 'lumen', role: 'manager' },
    request: { message: 'please fail' },
  },
]
  .map((c) => JSON.stringify(c))
  .join('\n');

/** Awaits a call and returns its gRPC status, 0 for success. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 0;
  } catch (error) {
    if (error instanceof FieldwiseError && 'grpcStatus' in error)
      return (error as FieldwiseError & { grpcStatus: number }).grpcStatus;
    throw error;
  }
}

describe('eval service over gRPC', () => {
  let root: string;
  let agent: ServiceUnderTest;
  let evals: ServiceUnderTest;
  let client: GrpcServiceClient<typeof EvalServiceService>;
  const seen: SeenChat[] = [];
  const gate = { blockSlow: true };
  const token = (principal: Partial<Principal> & Pick<Principal, 'roles'>) =>
    evals.sign({
      userId: 'u-admin-1',
      tenant: 'lumen',
      territories: [],
      ...principal,
    });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'eval-handlers-'));
    const base = {
      FIELDWISE_DATA_DIR: join(root, 'data'),
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    // Same data dir: the scripted agent verifies with the same dev principal key.
    const agentConfig = loadEvalConfig(base);
    agent = await startServiceForTest({
      name: 'agent',
      config: agentConfig,
      services: () => Promise.resolve([scriptedAgent(seen, gate)]),
    });
    const config = loadEvalConfig({
      ...base,
      AGENT_SERVICE_ADDR: agent.address,
    });
    evals = await startServiceForTest({
      name: 'eval',
      config,
      ...evalServiceOptions(config),
    });
    client = evals.client(EvalServiceService);
  });
  afterAll(async () => {
    await evals?.stop();
    await agent?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('admits admins and the evaluation identity only', async () => {
    const seller = await token({ roles: ['seller'] });
    const agentForAdmin = await token({
      roles: ['admin'],
      actor: {
        id: 'agent-service',
        role: 'service:agent',
        purpose: 'on-behalf',
      },
    });
    const evaluation = await token({
      userId: 'eval-service',
      roles: [],
      actor: {
        id: 'eval-service',
        role: 'service:eval',
        purpose: 'evaluation',
      },
    });
    const impersonated = await token({
      userId: 'u-seller-1',
      roles: ['seller'],
      actor: {
        id: 'eval-service',
        role: 'service:eval',
        purpose: 'evaluation',
      },
    });
    const admin = await token({ roles: ['admin'] });
    expect(
      await statusOf(client.listDatasets({}, { principalToken: seller })),
    ).toBe(PERMISSION_DENIED);
    expect(
      await statusOf(
        client.listDatasets({}, { principalToken: agentForAdmin }),
      ),
    ).toBe(PERMISSION_DENIED);
    expect(
      await statusOf(client.listDatasets({}, { principalToken: impersonated })),
    ).toBe(PERMISSION_DENIED);
    expect(
      await statusOf(client.listDatasets({}, { principalToken: evaluation })),
    ).toBe(0);
    expect(
      await statusOf(client.listDatasets({}, { principalToken: admin })),
    ).toBe(0);
  });

  it('runs a dataset against the agent as each case user, streams progress, audits every impersonation', async () => {
    const principalToken = await token({ roles: ['admin'] });
    const created = await client.createDataset(
      { name: 'smoke', description: 'two cases', cases: [] },
      { principalToken },
    );
    const datasetId = created.dataset?.id ?? '';
    const imported = await client.importCases(
      { datasetId, jsonl: JSONL, replace: true, note: 'first' },
      { principalToken },
    );
    expect(imported.errors).toEqual([]);
    expect(imported.version?.caseCount).toBe(2);

    const started = await client.startRun(
      {
        datasetId,
        datasetVersion: 0,
        model: '',
        llmJudge: false,
        thresholds: [{ metric: 'tool_selection', min: 0.9 }],
        label: 'ci',
        concurrency: 1,
      },
      { principalToken },
    );
    const runId = started.run?.id ?? '';
    const messages: StreamRunProgressResponse[] = [];
    for await (const message of client.streamRunProgress(
      { runId },
      { principalToken, deadlineMs: 20_000 },
    ))
      messages.push(message);
    const last = messages.at(-1)?.run;
    expect(last?.status).toBe(RunStatus.SUCCEEDED);
    expect(last?.progress).toMatchObject({
      totalCases: 2,
      completedCases: 2,
      erroredCases: 1,
    });

    const run = (await client.getRun({ runId }, { principalToken })).run;
    expect(run?.status).toBe(RunStatus.SUCCEEDED);
    expect(run?.thresholdResults[0]).toMatchObject({ passed: true });

    const results = await client.listRunResults(
      { runId, onlyFailures: false },
      { principalToken },
    );
    const byId = new Map(results.results.map((r) => [r.caseId, r]));
    expect(byId.get('acme-arr')).toMatchObject({
      outcome: CaseOutcome.PASSED,
      answer: 'Acme Corporation has an ARR of $1.2M.',
      conversationId: 'conv-1',
    });
    expect(byId.get('agent-fails')).toMatchObject({
      outcome: CaseOutcome.ERRORED,
      errorCode: 'DEPENDENCY_UNAVAILABLE',
    });
    const failures = await client.listRunResults(
      { runId, onlyFailures: true },
      { principalToken },
    );
    expect(failures.results.map((r) => r.caseId)).toEqual(['agent-fails']);

    // The agent was called as each case's user, by the evaluation identity, for this run.
    const calls = seen.filter((s) => s.evalRunId === runId);
    expect(
      calls
        .map((c) => [
          c.principal.userId,
          c.principal.roles[0],
          c.principal.actor?.role,
          c.principal.actor?.purpose,
        ])
        .sort(),
    ).toEqual([
      ['u-manager-1', 'manager', 'service:eval', 'evaluation'],
      ['u-seller-1', 'seller', 'service:eval', 'evaluation'],
    ]);

    // Each impersonation left one chained audit event in the eval outbox.
    const events = [...readOutbox(join(root, 'data', EVAL_OUTBOX_FILE))].map(
      (e) => e.event as Record<string, unknown>,
    );
    const impersonations = events.filter(
      (e) => (e['subject'] as string) === `eval-run/${runId}`,
    );
    expect(impersonations).toHaveLength(2);
    for (const event of impersonations) {
      expect(event['data']).toMatchObject({
        actor: { userId: 'eval-service', kind: 'service', impersonation: true },
        service: 'eval-service',
        action: 'assume',
        decision: 'allow',
      });
    }
    expect(verifyAuditChain(events).ok).toBe(true);

    const report = await client.getRunReport(
      { runId, baselineRunId: '' },
      { principalToken },
    );
    expect(report.html).toContain('<html');
    expect(report.html).toContain('agent-fails');

    const compared = await client.compareRuns(
      { baseRunId: runId, candidateRunId: runId, tolerance: 0 },
      { principalToken },
    );
    expect(compared.hasRegressions).toBe(false);

    // Another tenant's admin sees nothing of it.
    const other = await token({ tenant: 'borealis', roles: ['admin'] });
    expect(
      await statusOf(client.getRun({ runId }, { principalToken: other })),
    ).toBe(NOT_FOUND);
    expect(
      (
        await client.listRuns(
          { datasetId: '', status: RunStatus.UNSPECIFIED },
          { principalToken: other },
        )
      ).runs,
    ).toEqual([]);

    // A finished run can be neither cancelled nor resumed.
    expect(
      await statusOf(client.cancelRun({ runId }, { principalToken })),
    ).toBe(FAILED_PRECONDITION);
    expect(
      await statusOf(client.resumeRun({ runId }, { principalToken })),
    ).toBe(FAILED_PRECONDITION);
  });

  it('cancels an executing run, keeps finished cases, and resumes only the rest', async () => {
    const principalToken = await token({ roles: ['admin'] });
    const datasetId =
      (
        await client.createDataset(
          { name: 'cancel-resume', description: '', cases: [] },
          { principalToken },
        )
      ).dataset?.id ?? '';
    const jsonl = [
      {
        id: 'fast',
        user: { userId: 'u-seller-1', tenant: 'lumen', role: 'seller' },
        request: { message: 'Acme ARR?' },
      },
      {
        id: 'slow',
        user: { userId: 'u-seller-1', tenant: 'lumen', role: 'seller' },
        request: { message: 'slow question' },
      },
    ]
      .map((c) => JSON.stringify(c))
      .join('\n');
    await client.importCases(
      { datasetId, jsonl, replace: true, note: '' },
      { principalToken },
    );
    const runId =
      (
        await client.startRun(
          {
            datasetId,
            datasetVersion: 0,
            model: '',
            llmJudge: false,
            thresholds: [],
            label: '',
            concurrency: 1,
          },
          { principalToken },
        )
      ).run?.id ?? '';
    // 1. Wait until the fast case finished and the slow one is in flight.
    for await (const message of client.streamRunProgress(
      { runId },
      { principalToken, deadlineMs: 20_000 },
    )) {
      // The fast case may have finished before the stream began: then the snapshot says so.
      if (message.run?.progress?.completedCases === 1) break;
    }
    // 2. Cancel: the run stops, the finished case keeps its result.
    const cancelled = (await client.cancelRun({ runId }, { principalToken }))
      .run;
    expect(cancelled?.status).toBe(RunStatus.CANCELLED);
    expect(cancelled?.progress?.completedCases).toBe(1);
    // 3. Resume with the agent unblocked: only the slow case is asked again.
    gate.blockSlow = false;
    const asked = seen.filter((s) => s.evalRunId === runId).length;
    await client.resumeRun({ runId }, { principalToken });
    const messages: StreamRunProgressResponse[] = [];
    for await (const message of client.streamRunProgress(
      { runId },
      { principalToken, deadlineMs: 20_000 },
    ))
      messages.push(message);
    expect(messages.at(-1)?.run?.status).toBe(RunStatus.SUCCEEDED);
    expect(
      seen
        .filter((s) => s.evalRunId === runId)
        .slice(asked)
        .map((s) => s.message),
    ).toEqual(['slow question']);
  });

  it('lists candidate cases from feedback and accepts one, edited, into a dataset', async () => {
    const principalToken = await token({ roles: ['admin'] });
    const store = await SqliteEvalStore.open({
      dataDir: join(root, 'data', 'eval'),
      logger: pino({ level: 'silent' }),
    });
    try {
      const intake = feedbackIntakeSchema.parse({
        feedbackId: 'fb-accept',
        conversationId: 'conv-9',
        userId: 'u-seller-2',
        tenant: 'lumen',
        rating: 'down',
        question: 'Which Acme use cases go live this quarter?',
        correctedAnswer: 'Two: X and Y.',
      });
      await store.saveCandidateCase(
        candidateFromFeedback(
          {
            now: () => new Date('2026-11-25T12:00:00Z'),
            newId: (p) => `${p}_accept`,
          },
          intake,
        ),
      );
    } finally {
      await store.close();
    }
    const datasetId =
      (
        await client.createDataset(
          { name: 'from-feedback', description: '', cases: [] },
          { principalToken },
        )
      ).dataset?.id ?? '';
    const { candidates } = await client.listCandidateCases(
      { includeAccepted: false },
      { principalToken },
    );
    const candidate = candidates.find((c) => c.feedbackId === 'fb-accept');
    expect(candidate?.proposedCase).toMatchObject({
      question: 'Which Acme use cases go live this quarter?',
      referenceAnswer: 'Two: X and Y.',
    });
    const edited = {
      ...(candidate?.proposedCase as NonNullable<
        typeof candidate
      >['proposedCase'] &
        object),
      expectedFacts: ['X', 'Y'],
    };
    const accepted = await client.acceptCandidateCase(
      { candidateId: candidate?.id ?? '', datasetId, editedCase: edited },
      { principalToken },
    );
    expect(accepted.version).toMatchObject({ version: 1, caseCount: 1 });
    expect(accepted.evalCase).toMatchObject({
      userId: 'u-seller-2',
      expectedFacts: ['X', 'Y'],
    });
    const exported = await client.getDataset(
      { datasetId, version: 0, includeCases: true },
      { principalToken },
    );
    expect(exported.cases.map((c) => c.id)).toEqual(['fb-fb-accept']);
    expect(
      await statusOf(
        client.acceptCandidateCase(
          { candidateId: candidate?.id ?? '', datasetId },
          { principalToken },
        ),
      ),
    ).toBe(FAILED_PRECONDITION);
    // Another tenant cannot see or accept it.
    const other = await token({ tenant: 'borealis', roles: ['admin'] });
    expect(
      (
        await client.listCandidateCases(
          { includeAccepted: true },
          { principalToken: other },
        )
      ).candidates,
    ).toEqual([]);
  });

  it('answers bad input with client errors, never INTERNAL or UNKNOWN', async () => {
    const principalToken = await token({ roles: ['admin'] });
    const opts = { principalToken };
    const datasetId =
      (
        await client.createDataset(
          { name: 'bad-input', description: '', cases: [] },
          opts,
        )
      ).dataset?.id ?? '';
    const bad = await client.importCases(
      { datasetId, jsonl: '{"id":"x"}\nnot json', replace: true, note: '' },
      opts,
    );
    expect(bad.version).toBeUndefined();
    expect(bad.errors.map((e) => e.line)).toEqual([1, 2]);
    const statuses = await Promise.all([
      statusOf(
        client.createDataset({ name: '', description: '', cases: [] }, opts),
      ),
      statusOf(
        client.createDataset(
          { name: 'bad-input', description: '', cases: [] },
          opts,
        ),
      ),
      statusOf(
        client.createDataset(
          {
            name: 'x',
            description: '',
            cases: [
              {
                id: 'c',
                question: 'q',
                userId: 'u',
                expectedTools: [{ name: 't', argumentsJson: '[1' }],
                expectedFacts: [],
                referenceAnswer: '',
                tags: [],
                source: '',
              },
            ],
          },
          opts,
        ),
      ),
      statusOf(
        client.importCases(
          { datasetId: '', jsonl: '', replace: true, note: '' },
          opts,
        ),
      ),
      statusOf(
        client.importCases(
          { datasetId, jsonl: '', replace: true, note: '' },
          opts,
        ),
      ),
      statusOf(
        client.getDataset(
          { datasetId: 'nope', version: 0, includeCases: true },
          opts,
        ),
      ),
      statusOf(
        client.getDataset({ datasetId, version: -1, includeCases: true }, opts),
      ),
      statusOf(
        client.getDataset({ datasetId, version: 0, includeCases: true }, opts),
      ),
      statusOf(
        client.listDatasets({ page: { pageSize: -1, pageToken: '' } }, opts),
      ),
      statusOf(
        client.listDatasets(
          { page: { pageSize: 1, pageToken: 'garbage' } },
          opts,
        ),
      ),
      statusOf(
        client.startRun(
          {
            datasetId,
            datasetVersion: 0,
            model: '',
            llmJudge: false,
            thresholds: [],
            label: '',
            concurrency: 9,
          },
          opts,
        ),
      ),
      statusOf(
        client.startRun(
          {
            datasetId,
            datasetVersion: 0,
            model: '',
            llmJudge: false,
            thresholds: [{ metric: 'Bad Name' }],
            label: '',
            concurrency: 0,
          },
          opts,
        ),
      ),
      statusOf(
        client.startRun(
          {
            datasetId,
            datasetVersion: 0,
            model: '',
            llmJudge: true,
            thresholds: [],
            label: '',
            concurrency: 0,
          },
          opts,
        ),
      ),
      statusOf(
        client.startRun(
          {
            datasetId,
            datasetVersion: 0,
            model: '',
            llmJudge: false,
            thresholds: [],
            label: '',
            concurrency: 0,
          },
          opts,
        ),
      ),
      statusOf(client.getRun({ runId: '' }, opts)),
      statusOf(client.getRun({ runId: 'run_missing' }, opts)),
      statusOf(
        client.listRuns({ datasetId: '', status: 42 as RunStatus }, opts),
      ),
      statusOf(
        client.compareRuns(
          { baseRunId: 'a', candidateRunId: 'b', tolerance: 2 },
          opts,
        ),
      ),
      statusOf(
        client.acceptCandidateCase({ candidateId: 'cand_x', datasetId }, opts),
      ),
      statusOf(
        client.acceptCandidateCase({ candidateId: '', datasetId }, opts),
      ),
    ]);
    expect(statuses).toEqual([
      INVALID_ARGUMENT,
      6,
      INVALID_ARGUMENT,
      INVALID_ARGUMENT,
      INVALID_ARGUMENT,
      NOT_FOUND,
      INVALID_ARGUMENT,
      NOT_FOUND,
      INVALID_ARGUMENT,
      INVALID_ARGUMENT,
      INVALID_ARGUMENT,
      INVALID_ARGUMENT,
      FAILED_PRECONDITION,
      NOT_FOUND,
      INVALID_ARGUMENT,
      NOT_FOUND,
      INVALID_ARGUMENT,
      INVALID_ARGUMENT,
      NOT_FOUND,
      INVALID_ARGUMENT,
    ]);
  });
});
