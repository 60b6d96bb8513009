import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentServiceService,
  FeedbackRating,
  PendingActionStatus,
  ToolCallStatus,
  type ChatResponse,
} from '@fieldwise/contracts';
import { readOutbox } from '@fieldwise/events';
import { GrpcCallError } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import type { Principal } from '@fieldwise/principal';
import { createScriptedChatModel } from '@fieldwise/llm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentApp } from '../../src/app.js';
import { loadAgentConfig } from '../../src/config.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import { fakeCrmService } from '../helpers/fake-crm-service.js';
import { sellerEast, sellerUk, text, toolCall } from '../helpers/harness.js';

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrpcCallError) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('agent-service over gRPC (fake CRM behind a real gRPC server)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-agent-int-'));
  const crm = new FakeCrm();
  const seen: Principal[] = [];
  const model = createScriptedChatModel({ name: 'scripted-int' });
  let crmService: ServiceUnderTest;
  let agent: ServiceUnderTest;
  let app: AgentApp | undefined;

  beforeAll(async () => {
    const base = {
      FIELDWISE_DATA_DIR: dataDir,
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    crmService = await startServiceForTest({
      name: 'crm',
      config: loadAgentConfig(base),
      services: () => Promise.resolve([fakeCrmService(crm, seen)]),
    });
    const config = loadAgentConfig({
      ...base,
      CRM_SERVICE_ADDR: crmService.address,
      RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
    });
    agent = await startServiceForTest({
      name: 'agent',
      config,
      services: async (runtime) => {
        app = await createAgentApp(config, runtime, { model });
        return app.services;
      },
      onShutdown: async () => {
        await app?.close();
      },
    });
  });
  afterAll(async () => {
    await agent.stop();
    await crmService.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const as = async (p: Principal) => ({ principalToken: await agent.sign(p) });

  it('streams a write as a confirmation request and executes it once on confirm by the same user', async () => {
    const client = agent.client(AgentServiceService);
    model.enqueue(
      [
        toolCall('update_crm_field', {
          entityType: 'opportunity',
          entityId: 'opp-acme-renewal',
          field: 'stage',
          newValue: 'NEGOTIATION',
        }),
      ],
      [text('Please confirm the change.')],
    );
    const events: ChatResponse[] = [];
    for await (const e of client.chat(
      {
        message: 'Move the Acme renewal to Negotiation',
        conversationId: '',
        accountId: '',
        model: '',
        evalRunId: '',
      },
      await as(sellerEast),
    ))
      events.push(e);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    const cases = events.map((e) => e.event?.$case);
    expect(cases).toEqual([
      'toolCall',
      'confirmationRequired',
      'toolResult',
      'delta',
      'final',
    ]);
    const result = events[2]!.event;
    expect(result?.$case === 'toolResult' && result.value.status).toBe(
      ToolCallStatus.PENDING_CONFIRMATION,
    );
    const final = events.at(-1)!.event;
    if (final?.$case !== 'final') throw new Error('no final');
    const actionId = final.value.pendingActions[0]!.id;
    expect(final.value.model).toEqual({
      provider: 'openai-compatible',
      name: 'scripted-int',
      offline: false,
    });
    expect(crm.writes).toEqual([]);
    // The downstream read carried the end user, with the agent as actor.
    expect(seen.at(-1)).toMatchObject({
      userId: sellerEast.userId,
      actor: {
        id: 'agent-service',
        role: 'service:agent',
        purpose: 'on-behalf',
      },
    });

    expect(
      await code(client.confirmAction({ actionId }, await as(sellerUk))),
    ).toBe('PERMISSION_DENIED');
    const confirmed = await client.confirmAction(
      { actionId },
      await as(sellerEast),
    );
    expect(confirmed.action?.status).toBe(PendingActionStatus.EXECUTED);
    expect(JSON.parse(confirmed.resultJson)).toMatchObject({
      newVersion: 4,
      after: 'NEGOTIATION',
    });
    expect(
      await code(client.confirmAction({ actionId }, await as(sellerEast))),
    ).toBe('ACTION_ALREADY_DECIDED');
    expect(crm.writes).toEqual([
      { key: actionId, field: 'stage', value: 'NEGOTIATION' },
    ]);

    const conversations = await client.listConversations(
      { page: undefined },
      await as(sellerEast),
    );
    expect(conversations.conversations).toHaveLength(1);
    const conversationId = final.value.conversationId;
    expect(
      await code(
        client.getConversation({ conversationId }, await as(sellerUk)),
      ),
    ).toBe('NOT_FOUND');
    const stored = await client.getConversation(
      { conversationId },
      await as(sellerEast),
    );
    expect(stored.conversation?.messages[1]?.pendingActions[0]?.status).toBe(
      PendingActionStatus.EXECUTED,
    );

    const feedback = await client.submitFeedback(
      {
        conversationId,
        messageId: final.value.messageId,
        rating: FeedbackRating.NEGATIVE,
        comment: 'wrong stage, call me at jane@example.com',
        correctedAnswer: 'Move it to Negotiation; ask jane@example.com',
        draftEdits: [
          {
            draftId: 'draft-1',
            changes: [
              {
                field: 'subject',
                before: 'Hello',
                after: 'Renewal next steps',
              },
            ],
          },
        ],
      },
      await as(sellerEast),
    );
    const outbox = [...readOutbox(join(dataDir, 'agent-outbox.sqlite'))].map(
      (e) => e.event as { type: string; data: Record<string, unknown> },
    );
    const published = outbox.find(
      (e) => e.data['feedbackId'] === feedback.feedbackId,
    )?.data;
    expect(String(published?.['correctedAnswer'])).toMatch(
      /^Move it to Negotiation; ask \[REDACTED:EMAIL\]/,
    );
    expect(published).toMatchObject({
      rating: 'down',
      draftEdits: [
        {
          draftId: 'draft-1',
          field: 'subject',
          before: 'Hello',
          after: 'Renewal next steps',
        },
      ],
    });
    expect(JSON.stringify(outbox)).not.toContain('jane@example.com');
    const toolAudits = outbox
      .filter((e) => e.type === 'fieldwise.audit.tool.call.v1')
      .map((e) => e.data['status']);
    expect(toolAudits).toEqual(['pending_confirmation', 'executed']);
  });

  it('refuses an eval run id from a normal user and reports the active model', async () => {
    const client = agent.client(AgentServiceService);
    const stream = client.chat(
      {
        message: 'hi',
        conversationId: '',
        accountId: '',
        model: '',
        evalRunId: 'run-1',
      },
      await as(sellerEast),
    );
    expect(
      await code(
        (async () => {
          for await (const _ of stream) {
            /* drain */
          }
        })(),
      ),
    ).toBe('PERMISSION_DENIED');
    const models = await client.listModels({}, await as(sellerEast));
    expect(models.defaultModel).toBe('scripted-int');
    expect(models.models[0]?.supportsFunctionCalling).toBe(true);
  });
});
