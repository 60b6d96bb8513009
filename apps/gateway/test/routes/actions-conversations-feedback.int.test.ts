import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FeedbackRating,
  MessageRole,
  PendingActionStatus,
  type ListConversationsRequest,
  type SubmitFeedbackRequest,
} from '@fieldwise/contracts';
import { FieldwiseError, NotFoundError } from '@fieldwise/errors';
import { createPrincipalSigner } from '@fieldwise/principal';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import {
  finalAnswer,
  pendingAction,
  startFakeAgent,
  type FakeAgentServer,
} from '../helpers/fake-agent.js';

// Action decisions, conversations and feedback against a fake agent over
// gRPC: the agent's typed refusals must arrive as distinct problem codes.
describe('actions, conversations and feedback through a fake agent', () => {
  let agent: FakeAgentServer;
  let gateway: TestGateway;
  let token: string;
  const listed: ListConversationsRequest[] = [];
  const feedback: SubmitFeedbackRequest[] = [];
  const rejected: { actionId: string; reason: string }[] = [];

  beforeAll(async () => {
    agent = await startFakeAgent({
      confirmAction: (request, ctx) => {
        switch (request.actionId) {
          case 'act-ok':
            return {
              action: pendingAction({
                id: 'act-ok',
                status: PendingActionStatus.EXECUTED,
              }),
              resultJson: '{"version":3}',
              errorCode: '',
            };
          case 'act-conflict':
            return {
              action: pendingAction({
                id: 'act-conflict',
                status: PendingActionStatus.FAILED,
              }),
              resultJson: '',
              errorCode: 'CONFLICT',
            };
          case 'act-expired':
            throw new FieldwiseError(
              'ACTION_EXPIRED',
              'this action has expired',
            );
          case 'act-decided':
            throw new FieldwiseError(
              'ACTION_ALREADY_DECIDED',
              'this action was already executed',
            );
          case 'act-other-user':
            throw new FieldwiseError(
              'PERMISSION_DENIED',
              `only the user who was asked may decide this action (not ${ctx.principal.userId})`,
            );
          default:
            throw new NotFoundError('pending action', request.actionId);
        }
      },
      rejectAction: (request) => {
        rejected.push(request);
        if (request.actionId === 'act-decided')
          throw new FieldwiseError(
            'ACTION_ALREADY_DECIDED',
            'this action was already executed',
          );
        return {
          action: pendingAction({
            id: request.actionId,
            status: PendingActionStatus.REJECTED,
          }),
        };
      },
      listConversations: (request) => {
        listed.push(request);
        const first = request.page?.pageToken === '';
        return {
          conversations: [
            {
              id: first ? 'conv-2' : 'conv-1',
              title: first ? 'Globex' : 'Acme',
              createdAt: '2026-01-02T00:00:00.000Z',
              updatedAt: '2026-01-02T00:00:00.000Z',
              messageCount: 2,
            },
          ],
          page: { nextPageToken: first ? 'page-2' : '', totalSize: 2 },
        };
      },
      getConversation: (request) => {
        if (request.conversationId !== 'conv-1')
          throw new NotFoundError('conversation', request.conversationId);
        const answer = finalAnswer({ pendingActions: [pendingAction()] });
        return {
          conversation: {
            id: 'conv-1',
            title: 'Acme',
            userId: 'u-seller-1',
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:01:00.000Z',
            messages: [
              {
                id: 'msg-0',
                role: MessageRole.USER,
                content: 'Move the renewal, mail [REDACTED:EMAIL]',
                createdAt: '2026-01-01T00:00:00.000Z',
                citations: [],
                toolCalls: [],
                pendingActions: [],
              },
              {
                id: 'msg-1',
                role: MessageRole.ASSISTANT,
                content: answer.answer,
                createdAt: '2026-01-01T00:01:00.000Z',
                citations: answer.citations,
                toolCalls: answer.toolCalls,
                pendingActions: answer.pendingActions,
                model: answer.model,
                usage: answer.usage,
              },
            ],
          },
        };
      },
      submitFeedback: (request) => {
        feedback.push(request);
        return { feedbackId: 'fb-42', receivedAt: '2026-01-01T00:02:00.000Z' };
      },
    });
    gateway = await buildTestGateway(echoIdentity, {
      agent: agent.client,
      signer: createPrincipalSigner({ key: agent.principalKey }),
    });
    token = await gateway.token();
  });
  afterAll(async () => {
    await gateway.app.close();
    await agent.stop();
  });
  beforeEach(() => {
    listed.length = 0;
    feedback.length = 0;
    rejected.length = 0;
  });

  const post = (url: string, payload?: unknown) =>
    gateway.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const get = (url: string) =>
    gateway.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
    });

  it('confirms an action and returns its executed state and result', async () => {
    const response = await post('/v1/actions/act-ok/confirm');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      action: {
        id: 'act-ok',
        tool: 'update_crm_field',
        summary: "Move 'Acme renewal' from Proposal to Negotiation",
        changes: [{ field: 'stage', before: 'Proposal', after: 'Negotiation' }],
        expiresAt: '2030-01-01T00:00:00.000Z',
        status: 'executed',
        conversationId: 'conv-1',
      },
      result: { version: 3 },
    });
  });

  it.each([
    ['act-expired', 400, 'ACTION_EXPIRED'],
    ['act-decided', 400, 'ACTION_ALREADY_DECIDED'],
    ['act-other-user', 403, 'PERMISSION_DENIED'],
    ['act-unknown', 404, 'NOT_FOUND'],
    ['act-conflict', 409, 'CONFLICT'],
  ])('maps a refused confirmation of %s to %i %s', async (id, status, code) => {
    const response = await post(`/v1/actions/${id}/confirm`);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    expect(response.json()).toMatchObject({
      status,
      code,
      instance: `/v1/actions/${id}/confirm`,
    });
  });

  it('rejects an action with or without a reason, and maps refusals', async () => {
    const bare = await post('/v1/actions/act-1/reject');
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.json()).toMatchObject({
      action: { id: 'act-1', status: 'rejected' },
    });
    const reasoned = await post('/v1/actions/act-2/reject', {
      reason: 'wrong stage',
    });
    expect(reasoned.statusCode).toBe(200);
    expect(rejected).toEqual([
      { actionId: 'act-1', reason: '' },
      { actionId: 'act-2', reason: 'wrong stage' },
    ]);
    const decided = await post('/v1/actions/act-decided/reject');
    expect(decided.json()).toMatchObject({
      status: 400,
      code: 'ACTION_ALREADY_DECIDED',
    });
    const bad = await post('/v1/actions/act-1/reject', { reason: 7 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe(
      'body.reason',
    );
  });

  it('lists conversations page by page', async () => {
    const first = await get('/v1/conversations?pageSize=1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      items: [
        {
          id: 'conv-2',
          title: 'Globex',
          createdAt: '2026-01-02T00:00:00.000Z',
          updatedAt: '2026-01-02T00:00:00.000Z',
          messageCount: 2,
        },
      ],
      nextPageToken: 'page-2',
      totalSize: 2,
    });
    const second = await get('/v1/conversations?pageSize=1&pageToken=page-2');
    expect(second.json()).toMatchObject({
      items: [{ id: 'conv-1' }],
      nextPageToken: null,
    });
    expect(listed.map((r) => r.page)).toEqual([
      { pageSize: 1, pageToken: '' },
      { pageSize: 1, pageToken: 'page-2' },
    ]);
    for (const query of ['pageSize=0', 'pageSize=501', 'pageSize=x', 'q=1']) {
      const bad = await get(`/v1/conversations?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('returns one conversation with its messages, and 404 for another', async () => {
    const response = await get('/v1/conversations/conv-1');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{
      messages: Record<string, unknown>[];
    }>();
    expect(body).toMatchObject({ id: 'conv-1', title: 'Acme' });
    expect(body.messages[0]).toEqual({
      id: 'msg-0',
      role: 'user',
      content: 'Move the renewal, mail [REDACTED:EMAIL]',
      createdAt: '2026-01-01T00:00:00.000Z',
      citations: [],
      toolCalls: [],
      pendingActions: [],
    });
    expect(body.messages[1]).toMatchObject({
      role: 'assistant',
      citations: [
        { documentId: 'doc-1', section: 'Objection handling > Pricing' },
      ],
      toolCalls: [{ name: 'account_360', status: 'executed' }],
      pendingActions: [{ id: 'act-1', status: 'pending' }],
      model: { provider: 'offline' },
      usage: { totalTokens: 120 },
    });
    const missing = await get('/v1/conversations/conv-9');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('accepts feedback with draft edits, redacting PII in free text before the agent sees it', async () => {
    const response = await post('/v1/feedback', {
      conversationId: 'conv-1',
      messageId: 'msg-1',
      rating: 'down',
      comment: 'Wrong contact, mail jane.doe@acme-corp.example instead',
      correctedAnswer: 'Acme grew 15%.',
      draftEdits: [
        {
          draftId: 'draft-1',
          changes: [{ field: 'subject', before: 'Hi', after: 'Hello' }],
        },
      ],
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toEqual({
      feedbackId: 'fb-42',
      receivedAt: '2026-01-01T00:02:00.000Z',
    });
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toMatchObject({
      conversationId: 'conv-1',
      messageId: 'msg-1',
      rating: FeedbackRating.NEGATIVE,
      correctedAnswer: 'Acme grew 15%.',
      draftEdits: [
        {
          draftId: 'draft-1',
          changes: [{ field: 'subject', before: 'Hi', after: 'Hello' }],
        },
      ],
    });
    expect(feedback[0]?.comment).toContain('[REDACTED:EMAIL');
    expect(feedback[0]?.comment).not.toContain('jane.doe');

    const up = await post('/v1/feedback', {
      conversationId: 'conv-1',
      messageId: 'msg-1',
      rating: 'up',
    });
    expect(up.statusCode).toBe(202);
    expect(feedback[1]).toMatchObject({
      rating: FeedbackRating.POSITIVE,
      comment: '',
      draftEdits: [],
    });
  });

  it.each([
    [{ messageId: 'm', rating: 'up' }, 'body.conversationId'],
    [{ conversationId: 'c', rating: 'up' }, 'body.messageId'],
    [{ conversationId: 'c', messageId: 'm', rating: 'meh' }, 'body.rating'],
    [{ conversationId: 'c', messageId: 'm' }, 'body.rating'],
    [
      {
        conversationId: 'c',
        messageId: 'm',
        rating: 'up',
        comment: 'x'.repeat(4001),
      },
      'body.comment',
    ],
    [
      {
        conversationId: 'c',
        messageId: 'm',
        rating: 'down',
        draftEdits: [{ draftId: 'd', changes: [] }],
      },
      'body.draftEdits.0.changes',
    ],
    [
      {
        conversationId: 'c',
        messageId: 'm',
        rating: 'down',
        draftEdits: [{ draftId: 'd', changes: [{ field: 'subject' }] }],
      },
      'body.draftEdits.0.changes.0.before',
    ],
    [
      {
        conversationId: 'c',
        messageId: 'm',
        rating: 'down',
        draftEdits: [1, 2].map((n) => ({
          draftId: `d${n}`,
          changes: Array.from({ length: 26 }, (_, i) => ({
            field: `f${i}`,
            before: 'a',
            after: 'b',
          })),
        })),
      },
      'body.draftEdits',
    ],
  ])('rejects invalid feedback %j naming %s', async (payload, field) => {
    const response = await post('/v1/feedback', payload);
    expect(response.statusCode).toBe(400);
    const body = response.json<{ code: string; errors: { field: string }[] }>();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e) => e.field)).toContain(field);
    expect(feedback).toHaveLength(0);
  });
});
