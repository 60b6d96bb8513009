import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentServiceService,
  CrmServiceService,
  RetrievalServiceService,
  ToolCallStatus,
} from '@fieldwise/contracts';
import { NotFoundError } from '@fieldwise/errors';
import { readOutbox, SqliteOutbox } from '@fieldwise/events';
import { implementService, resolvePrincipalKey } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import type { Principal } from '@fieldwise/principal';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openGrpcRunnerFactory,
  type GrpcRunnerFactory,
} from '../../src/adapters/runner/grpc-runner-factory.js';
import { loadEvalConfig } from '../../src/config.js';
import {
  EvalCaseSchema,
  scoreCitationValidity,
} from '../../src/domain/index.js';

const silent = pino({ level: 'silent' });

describe('GrpcAgentRunner against real gRPC agent, crm and retrieval endpoints', () => {
  let root: string;
  let services: ServiceUnderTest;
  let outbox: SqliteOutbox;
  let factory: GrpcRunnerFactory;
  const agentSaw: {
    principal: Principal;
    conversationId: string;
    evalRunId: string;
  }[] = [];
  const crmSaw: Principal[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'eval-runner-'));
    const config = loadEvalConfig({
      FIELDWISE_DATA_DIR: join(root, 'data'),
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
    });
    // Only the methods the runner calls: a partial definition serves just those.
    const agent = implementService(
      { chat: AgentServiceService.chat },
      {
        chat(request, ctx, send) {
          agentSaw.push({
            principal: ctx.principal,
            conversationId: request.conversationId,
            evalRunId: request.evalRunId,
          });
          const conversationId = request.conversationId || 'conv-mt';
          send({
            conversationId,
            sequence: 1,
            event: {
              $case: 'final',
              value: {
                conversationId,
                messageId: `m-${agentSaw.length}`,
                answer: `Turn ${agentSaw.length}: streaming wins on latency.`,
                citations: [
                  {
                    documentId: 'doc-1',
                    chunkId: 'chunk-a',
                    title: 'Battlecard',
                    sectionPath: 'Latency',
                    snippet: 'streaming wins on latency',
                    charStart: 0,
                    charEnd: 40,
                  },
                  {
                    documentId: 'doc-ghost',
                    chunkId: 'chunk-z',
                    title: 'Made up',
                    sectionPath: '',
                    snippet: 'anything',
                    charStart: 0,
                    charEnd: 8,
                  },
                ],
                toolCalls: [
                  {
                    id: 'c1',
                    name: 'search_collateral',
                    argumentsJson: '{"query":"latency"}',
                    status: ToolCallStatus.EXECUTED,
                    summary: '2 passages',
                    errorCode: '',
                    pendingActionId: '',
                    durationMs: 4,
                  },
                ],
                pendingActions: [],
                usage: {
                  promptTokens: 7,
                  completionTokens: 3,
                  totalTokens: 10,
                },
              },
            },
          });
        },
      },
    );
    const crm = implementService(
      { getUser: CrmServiceService.getUser },
      {
        getUser(request, ctx) {
          crmSaw.push(ctx.principal);
          return {
            user: {
              id: request.userId,
              name: 'M',
              email: '',
              role: 'manager',
              territories: ['amer-east', 'amer-west'],
              managerUserId: '',
              tenant: 'lumen',
            },
          };
        },
      },
    );
    const retrieval = implementService(
      { getDocument: RetrievalServiceService.getDocument },
      {
        getDocument(request) {
          if (request.documentId !== 'doc-1')
            throw new NotFoundError('document', request.documentId);
          return {
            chunks: [
              {
                id: 'chunk-a',
                ordinal: 0,
                sectionPath: 'Latency',
                text: 'In every benchmark, streaming wins on latency by 3x.',
                charStart: 0,
                charEnd: 52,
                flags: [],
              },
              {
                id: 'chunk-b',
                ordinal: 1,
                sectionPath: 'Cost',
                text: 'Unrelated.',
                charStart: 52,
                charEnd: 62,
                flags: [],
              },
            ],
          };
        },
      },
    );
    services = await startServiceForTest({
      name: 'scripted',
      config,
      services: () => Promise.resolve([agent, crm, retrieval]),
    });
    outbox = SqliteOutbox.open({
      dataDir: root,
      fileName: 'eval-outbox.sqlite',
      logger: silent,
    });
    factory = openGrpcRunnerFactory({
      agentAddress: services.address,
      crmAddress: services.address,
      retrievalAddress: services.address,
      key: await resolvePrincipalKey(config),
      outbox,
      logger: silent,
    });
  });
  afterAll(async () => {
    factory?.close();
    outbox?.close();
    await services?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('asks every turn as the case user with their territories, audits each impersonation, and checks citations against fetched chunks', async () => {
    const evalCase = EvalCaseSchema.parse({
      id: 'multi',
      user: { userId: 'u-manager-1', tenant: 'lumen', role: 'manager' },
      request: { turns: ['Compare latency', 'And against Confluent?'] },
    });
    const turn = await factory
      .runnerFor()
      .run(evalCase, { signal: new AbortController().signal, runId: 'run_x' });

    // 1. Both turns in one conversation, as the manager with the team territories, for run_x.
    expect(agentSaw.map((s) => s.conversationId)).toEqual(['', 'conv-mt']);
    for (const { principal, evalRunId } of agentSaw) {
      expect(evalRunId).toBe('run_x');
      expect(principal).toMatchObject({
        userId: 'u-manager-1',
        tenant: 'lumen',
        roles: ['manager'],
        territories: ['amer-east', 'amer-west'],
        actor: {
          id: 'eval-service',
          role: 'service:eval',
          purpose: 'evaluation',
        },
      });
    }
    // The directory was asked as the user too (once: territories are cached per user).
    expect(crmSaw).toHaveLength(1);
    expect(crmSaw[0]).toMatchObject({
      userId: 'u-manager-1',
      actor: { purpose: 'evaluation' },
    });

    // 2. The last turn's answer, tools, usage and the transcript of both.
    expect(turn).toMatchObject({
      answer: 'Turn 2: streaming wins on latency.',
      conversationId: 'conv-mt',
      toolCalls: [
        {
          name: 'search_collateral',
          arguments: { query: 'latency' },
          status: 'executed',
        },
      ],
      usage: { inputTokens: 7, outputTokens: 3 },
    });
    expect(turn.transcript).toHaveLength(4);

    // 3. Only the real cited chunk came back: the fabricated citation fails validity.
    expect(turn.retrieved).toEqual([
      {
        documentId: 'doc-1',
        chunkId: 'chunk-a',
        text: 'In every benchmark, streaming wins on latency by 3x.',
      },
    ]);
    const validity = scoreCitationValidity(turn.citations, turn.retrieved);
    expect(validity).toMatchObject({ value: 0.5, passed: false });

    // 4. One audit event per signed principal (two turns), each marked as impersonation.
    const audits = [...readOutbox(join(root, 'eval-outbox.sqlite'))].map(
      (e) => e.event as Record<string, unknown>,
    );
    expect(audits).toHaveLength(2);
    for (const event of audits) {
      expect(event).toMatchObject({
        type: 'fieldwise.audit.authz.decision.v1',
        principal: 'u-manager-1',
        tenant: 'lumen',
        subject: 'eval-run/run_x',
        data: {
          actor: {
            userId: 'eval-service',
            onBehalfOf: 'u-manager-1',
            impersonation: true,
          },
          decision: 'allow',
        },
      });
    }
  });
});
