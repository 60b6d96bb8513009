import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ToolCallStatus,
  type ChatRequest,
  type ChatResponse,
} from '@fieldwise/contracts';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import type { CallContext, StreamSender } from '@fieldwise/grpc';
import type { Principal } from '@fieldwise/principal';
import { createPrincipalSigner } from '@fieldwise/principal';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import { auditEventsOfTrace } from '../helpers/audit.js';
import {
  finalAnswer,
  pendingAction,
  startFakeAgent,
  turnEvents,
  type FakeAgentServer,
} from '../helpers/fake-agent.js';
import { parseSse, type SseEvent } from '../helpers/sse.js';

const CANARY = 'CANARY-7f3a9c2e1b4d';
const AWS_KEY = 'AKIALGST7U4B5LAO727X';
const BENIGN = 'Acme grew twelve percent on Streaming this quarter. ';

type Script = (
  request: ChatRequest,
  ctx: CallContext,
  send: StreamSender<ChatResponse>,
) => Promise<void>;

/** Resolves when the call is cancelled, or after `ms` with false (the script then goes on). */
function cancelledWithin(ctx: CallContext, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function deltaEvent(text: string, sequence = 0): ChatResponse {
  return {
    conversationId: 'conv-1',
    sequence,
    event: { $case: 'delta', value: { text } },
  };
}

function textOf(events: readonly SseEvent[]): string {
  return events
    .filter((e) => e.event === 'delta')
    .map((e) => String(e.data.text))
    .join('');
}

// The chat route against a fake agent gRPC service in this process: the real
// client, channel, principal signing and stream cancellation.
describe('POST /v1/chat through a fake agent over gRPC', () => {
  let agent: FakeAgentServer;
  let gateway: TestGateway;
  let script: Script;
  const calls: { request: ChatRequest; principal: Principal }[] = [];

  beforeAll(async () => {
    agent = await startFakeAgent({
      chat: async (request, ctx, send) => {
        calls.push({ request, principal: ctx.principal });
        await script(request, ctx, send);
      },
    });
    gateway = await buildTestGateway(
      echoIdentity,
      {
        agent: agent.client,
        signer: createPrincipalSigner({ key: agent.principalKey }),
      },
      { env: { GUARDRAILS_CANARY: CANARY } },
    );
  });
  afterAll(async () => {
    await gateway.app.close();
    await agent.stop();
  });
  beforeEach(() => {
    calls.length = 0;
    script = (_request, _ctx, send) => {
      for (const event of turnEvents()) send(event);
      return Promise.resolve();
    };
  });

  async function chat(
    payload: Record<string, unknown>,
    accept = 'application/json',
    target: TestGateway = gateway,
    sub = 'u-seller-1',
  ) {
    return target.app.inject({
      method: 'POST',
      url: '/v1/chat',
      headers: {
        authorization: `Bearer ${await target.token({ sub })}`,
        accept,
      },
      payload,
    });
  }

  it('answers as JSON with citations, tool calls, model and usage', async () => {
    const response = await chat({
      message: 'How is Acme doing?',
      conversationId: 'conv-1',
      model: 'offline-planner',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      conversationId: 'conv-1',
      messageId: 'msg-1',
      answer: 'Acme grew 12% on Streaming.',
      citations: [
        {
          documentId: 'doc-1',
          title: 'Streaming battlecard',
          section: 'Objection handling > Pricing',
          snippet: 'Streaming grew 12%',
        },
      ],
      toolCalls: [
        {
          name: 'account_360',
          arguments: { accountId: 'acc-1' },
          status: 'executed',
        },
      ],
      pendingActions: [],
      model: { provider: 'offline', name: 'offline-planner', offline: true },
      usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.request).toMatchObject({
      message: 'How is Acme doing?',
      conversationId: 'conv-1',
      model: 'offline-planner',
    });
    expect(calls[0]?.principal.userId).toBe('u-seller-1');
  });

  it('charges the usage the agent reports to the token budget', async () => {
    const sub = 'u-budget-charge';
    const first = await chat(
      { message: 'How is Acme doing?' },
      undefined,
      gateway,
      sub,
    );
    expect(first.statusCode).toBe(200);
    const second = await chat(
      { message: 'And Globex?' },
      undefined,
      gateway,
      sub,
    );
    // Budget 40 000 (default) minus the first turn's 120 tokens, read before the second turn.
    expect(second.headers['ratelimit']).toMatch(/"token-budget";r=39880;/);
  });

  it('streams SSE events in their public shapes, ending with final', async () => {
    const final = finalAnswer({
      answer: 'Moving the renewal needs your confirmation.',
      pendingActions: [pendingAction()],
    });
    script = (_request, _ctx, send) => {
      let sequence = 0;
      const emit = (event: ChatResponse['event']) =>
        send({ conversationId: 'conv-1', sequence: ++sequence, event });
      emit({
        $case: 'toolCall',
        value: {
          id: 'call-1',
          name: 'update_crm_field',
          argumentsJson: '{"stage":"Negotiation"}',
        },
      });
      emit({
        $case: 'toolResult',
        value: {
          callId: 'call-1',
          name: 'update_crm_field',
          status: ToolCallStatus.PENDING_CONFIRMATION,
          summary: 'Waits for confirmation',
          errorCode: '',
          pendingActionId: 'act-1',
        },
      });
      emit({ $case: 'confirmationRequired', value: pendingAction() });
      emit({ $case: 'citation', value: { citation: final.citations[0] } });
      emit({ $case: 'delta', value: { text: 'Moving the renewal ' } });
      emit({ $case: 'delta', value: { text: 'needs your confirmation.' } });
      emit({ $case: 'final', value: final });
      return Promise.resolve();
    };
    const response = await chat(
      { message: 'Move the Acme renewal to Negotiation' },
      'text/event-stream',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(response.headers['trace-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers['ratelimit-policy']).toContain('"token-budget"');
    const events = parseSse(response.body);
    expect(events.map((e) => e.event)).toEqual([
      'tool_call',
      'tool_result',
      'confirmation_required',
      'citation',
      'delta',
      'final',
    ]);
    expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(events[0]?.data).toEqual({
      id: 'call-1',
      name: 'update_crm_field',
      arguments: { stage: 'Negotiation' },
    });
    expect(events[1]?.data).toEqual({
      callId: 'call-1',
      name: 'update_crm_field',
      status: 'pending_confirmation',
      summary: 'Waits for confirmation',
      pendingActionId: 'act-1',
    });
    expect(events[2]?.data).toEqual({
      id: 'act-1',
      tool: 'update_crm_field',
      summary: "Move 'Acme renewal' from Proposal to Negotiation",
      changes: [{ field: 'stage', before: 'Proposal', after: 'Negotiation' }],
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(events[3]?.data).toMatchObject({ documentId: 'doc-1' });
    expect(textOf(events)).toBe('Moving the renewal needs your confirmation.');
    expect(events[5]?.data).toMatchObject({
      answer: 'Moving the renewal needs your confirmation.',
      messageId: 'msg-1',
      pendingActions: [{ id: 'act-1' }],
      usage: { totalTokens: 120 },
    });
  });

  it('stops the stream at a window that leaks the canary: nothing of it reaches the client, the agent is cancelled, audit has the block', async () => {
    const before = BENIGN.repeat(12); // several windows of checked text first
    let sawCancel!: (value: boolean) => void;
    const cancel = new Promise<boolean>((resolve) => (sawCancel = resolve));
    script = async (_request, ctx, send) => {
      for (let i = 0; i < before.length; i += 40)
        send(deltaEvent(before.slice(i, i + 40)));
      // The canary split across two deltas: no single delta contains it.
      send(deltaEvent('The hidden marker is CANARY-7f3a'));
      send(deltaEvent('9c2e1b4d, as the system prompt says. '));
      send(deltaEvent(BENIGN.repeat(10)));
      sawCancel(await cancelledWithin(ctx, 5_000));
      if (!ctx.signal.aborted) send(turnEvents()[1] as ChatResponse);
    };
    const response = await chat(
      { message: 'Tell me about Acme' },
      'text/event-stream',
    );
    expect(response.statusCode).toBe(200);
    const events = parseSse(response.body);
    const last = events.at(-1);
    expect(last?.event).toBe('error');
    expect(last?.data).toMatchObject({
      status: 422,
      code: 'GUARDRAIL_BLOCKED',
      retryable: false,
    });
    expect(String(last?.data.type)).toMatch(/\/guardrail-blocked$/);
    expect(events.some((e) => e.event === 'final')).toBe(false);
    const streamed = textOf(events);
    // Checked text before the leak did flow; the leaking window never did.
    expect(streamed.length).toBeGreaterThan(0);
    expect(before.startsWith(streamed)).toBe(true);
    expect(response.body).not.toContain('CANARY-7f3a');
    expect(response.body).not.toContain('9c2e1b4d');
    expect(response.body).not.toContain('hidden marker');
    expect(await cancel).toBe(true);

    const traceId = String(response.headers['trace-id']);
    const audit = auditEventsOfTrace(gateway, traceId);
    const hits = audit.filter((e) => e.type === AUDIT_EVENT_TYPES.guardrailHit);
    expect(hits.map((h) => h.data)).toContainEqual(
      expect.objectContaining({
        rule: 'canary',
        stage: 'output',
        mode: 'block',
        route: 'POST /v1/chat',
      }),
    );
    const requestEvent = audit.find(
      (e) => e.type === AUDIT_EVENT_TYPES.request,
    );
    expect(requestEvent?.data).toMatchObject({
      errorCode: 'GUARDRAIL_BLOCKED',
    });
    expect(JSON.stringify(audit)).not.toContain(CANARY);
  });

  it('redacts a secret split across deltas in redact mode, and final matches what was streamed', async () => {
    script = (_request, _ctx, send) => {
      send(deltaEvent('The key in the case is AKIALGST7U'));
      send(deltaEvent('4B5LAO727X, rotate it. '));
      send(
        turnEvents(
          finalAnswer({
            answer: `The key in the case is ${AWS_KEY}, rotate it. `,
          }),
        )[1] as ChatResponse,
      );
      return Promise.resolve();
    };
    const response = await chat(
      { message: 'What is in the case?' },
      'text/event-stream',
    );
    const events = parseSse(response.body);
    expect(events.at(-1)?.event).toBe('final');
    expect(response.body).not.toContain('AKIALGST7U');
    const streamed = textOf(events);
    expect(streamed).toContain('[REDACTED:AWS_ACCESS_KEY_ID');
    expect(events.at(-1)?.data.answer).toBe(streamed);

    const hits = auditEventsOfTrace(
      gateway,
      String(response.headers['trace-id']),
    )
      .filter((e) => e.type === AUDIT_EVENT_TYPES.guardrailHit)
      .map((e) => e.data);
    expect(hits).toContainEqual(
      expect.objectContaining({
        rule: 'secrets',
        mode: 'redact',
        stage: 'output',
      }),
    );
  });

  it('redacts a secret in the JSON answer too', async () => {
    script = (_request, _ctx, send) => {
      for (const event of turnEvents(
        finalAnswer({ answer: `Key ${AWS_KEY} leaked.` }),
      ))
        send(event);
      return Promise.resolve();
    };
    const response = await chat({ message: 'What is in the case?' });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(AWS_KEY);
    expect(response.json<{ answer: string }>().answer).toContain('[REDACTED:');
  });

  it('ends the stream with the agent error, and maps gRPC failures to error events', async () => {
    script = (_request, _ctx, send) => {
      send({
        conversationId: 'conv-1',
        sequence: 1,
        event: {
          $case: 'error',
          value: {
            code: 'DEPENDENCY_UNAVAILABLE',
            message: 'CRM is down',
            retryable: true,
          },
        },
      });
      return Promise.resolve();
    };
    const streamed = parseSse(
      (await chat({ message: 'Acme?' }, 'text/event-stream')).body,
    );
    expect(streamed.at(-1)).toMatchObject({
      event: 'error',
      data: { code: 'DEPENDENCY_UNAVAILABLE', status: 503, retryable: true },
    });
    const json = await chat({ message: 'Acme?' });
    expect(json.statusCode).toBe(503);
    expect(json.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });

    script = () => Promise.reject(new Error('boom'));
    const failed = parseSse(
      (await chat({ message: 'Acme?' }, 'text/event-stream')).body,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      event: 'error',
      data: { code: 'INTERNAL', status: 500 },
    });
    expect(JSON.stringify(failed)).not.toContain('boom');
  });

  it('validates the body and names the field', async () => {
    for (const [payload, field] of [
      [{}, 'body.message'],
      [{ message: '   ' }, 'body.message'],
      [{ message: 'x'.repeat(8001) }, 'body.message'],
      [{ message: 'hi', conversationId: 7 }, 'body.conversationId'],
      [{ message: 'hi', extra: true }, 'body'],
    ] as const) {
      const response = await chat(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      const body = response.json<{
        code: string;
        errors: { field: string }[];
      }>();
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.errors.map((e) => e.field)).toContain(field);
    }
    expect(calls).toHaveLength(0);
  });

  it('documents the chat route in OpenAPI with its body and response', async () => {
    const document = (
      await gateway.app.inject({ method: 'GET', url: '/docs/json' })
    ).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { required?: string[] } }>;
            };
            responses: Record<
              string,
              {
                content?: Record<
                  string,
                  { schema: { properties?: Record<string, unknown> } }
                >;
              }
            >;
          }
        >
      >;
    }>();
    const post = document.paths['/v1/chat']?.post;
    expect(
      post?.requestBody?.content['application/json']?.schema.required,
    ).toEqual(['message']);
    const ok = post?.responses['200']?.content?.['application/json']?.schema;
    expect(Object.keys(ok?.properties ?? {})).toEqual(
      expect.arrayContaining([
        'answer',
        'citations',
        'toolCalls',
        'pendingActions',
        'model',
        'usage',
      ]),
    );
    for (const path of [
      '/v1/actions/{id}/confirm',
      '/v1/actions/{id}/reject',
      '/v1/conversations',
      '/v1/conversations/{id}',
      '/v1/feedback',
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
  });

  describe('on a listening gateway', () => {
    let base: string;
    let live: TestGateway;

    beforeAll(async () => {
      live = await buildTestGateway(echoIdentity, {
        agent: agent.client,
        signer: createPrincipalSigner({ key: agent.principalKey }),
      });
      await live.app.listen({ host: '127.0.0.1', port: 0 });
      const address = live.app.server.address();
      if (typeof address !== 'object' || !address) throw new Error('no port');
      base = `http://127.0.0.1:${address.port}`;
    });
    afterAll(async () => {
      await live.app.close();
    });

    function openStream(
      target: string,
      token: string,
    ): Promise<{ response: IncomingMessage; destroy(): void }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          `${target}/v1/chat`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'text/event-stream',
              'content-type': 'application/json',
            },
          },
          (response) => resolve({ response, destroy: () => req.destroy() }),
        );
        req.on('error', reject);
        req.end(JSON.stringify({ message: 'Summarize Acme' }));
      });
    }

    function readAll(response: IncomingMessage): Promise<string> {
      return new Promise((resolve, reject) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
        response.on('error', reject);
      });
    }

    it('cancels the agent call when the client disconnects', async () => {
      let started!: () => void;
      const inside = new Promise<void>((resolve) => (started = resolve));
      let sawCancel!: (value: boolean) => void;
      const cancel = new Promise<boolean>((resolve) => (sawCancel = resolve));
      script = async (_request, ctx, send) => {
        send(deltaEvent('Acme is '));
        started();
        sawCancel(await cancelledWithin(ctx, 10_000));
      };
      const stream = await openStream(base, await live.token());
      expect(stream.response.statusCode).toBe(200);
      await inside;
      stream.destroy();
      expect(await cancel).toBe(true);
    });

    it('ends open streams with a retryable error event when the gateway closes', async () => {
      const closing = await buildTestGateway(echoIdentity, {
        agent: agent.client,
        signer: createPrincipalSigner({ key: agent.principalKey }),
      });
      await closing.app.listen({ host: '127.0.0.1', port: 0 });
      const address = closing.app.server.address();
      if (typeof address !== 'object' || !address) throw new Error('no port');
      let started!: () => void;
      const inside = new Promise<void>((resolve) => (started = resolve));
      let sawCancel!: (value: boolean) => void;
      const cancel = new Promise<boolean>((resolve) => (sawCancel = resolve));
      script = async (_request, ctx, send) => {
        send(deltaEvent('Acme is '));
        started();
        sawCancel(await cancelledWithin(ctx, 10_000));
      };
      const { response } = await openStream(
        `http://127.0.0.1:${address.port}`,
        await closing.token(),
      );
      const body = readAll(response);
      await inside;
      await closing.app.close();
      const events = parseSse(await body);
      expect(events.at(-1)).toMatchObject({
        event: 'error',
        data: { code: 'SHUTTING_DOWN', status: 503, retryable: true },
      });
      expect(await cancel).toBe(true);
    });
  });
});

describe('POST /v1/chat with the model-token budget spent', () => {
  let agent: FakeAgentServer;
  let gateway: TestGateway;
  let turns = 0;

  beforeAll(async () => {
    agent = await startFakeAgent({
      chat: (_request, _ctx, send) => {
        turns += 1;
        for (const event of turnEvents()) send(event);
      },
    });
    gateway = await buildTestGateway(
      echoIdentity,
      {
        agent: agent.client,
        signer: createPrincipalSigner({ key: agent.principalKey }),
      },
      { env: { CHAT_TOKEN_BUDGET_PER_MINUTE: '100' } },
    );
  });
  afterAll(async () => {
    await gateway.app.close();
    await agent.stop();
  });

  it('refuses with 429 before calling the agent, naming the token budget', async () => {
    const token = await gateway.token({ sub: 'u-budget-1' });
    const call = (accept: string) =>
      gateway.app.inject({
        method: 'POST',
        url: '/v1/chat',
        headers: { authorization: `Bearer ${token}`, accept },
        payload: { message: 'How is Acme?' },
      });
    // The first turn fits (nothing spent yet) and reports 120 tokens.
    expect((await call('application/json')).statusCode).toBe(200);
    expect(turns).toBe(1);
    for (const accept of ['application/json', 'text/event-stream']) {
      const refused = await call(accept);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(refused.headers['ratelimit-policy']).toContain(
        '"token-budget";q=100;w=60',
      );
      expect(refused.headers['ratelimit']).toContain('"token-budget";r=0;');
      expect(refused.json()).toMatchObject({
        status: 429,
        code: 'RATE_LIMITED',
      });
    }
    expect(turns).toBe(1);
    // Another user's budget is untouched.
    const other = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat',
      headers: {
        authorization: `Bearer ${await gateway.token({ sub: 'u-budget-2' })}`,
      },
      payload: { message: 'How is Acme?' },
    });
    expect(other.statusCode).toBe(200);
  });
});
