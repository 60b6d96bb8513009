import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import { z } from 'zod';
import {
  OpenAIChatModel,
  chatToolFromZod,
  type ChatModelEvent,
  type ChatModelRequest,
} from '../src/index.js';
import {
  scripted,
  startScriptedOpenAIServer,
  type ScriptedOpenAIServer,
} from '../src/testing.js';
import {
  USER_ONLY,
  compatibleModel,
  drain,
  fieldwiseErrorOf,
  recordingSleep,
  silentLogger,
} from './helpers.js';

let server: ScriptedOpenAIServer;
beforeAll(async () => {
  server = await startScriptedOpenAIServer();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

const findAccounts = chatToolFromZod({
  name: 'find_accounts',
  description: 'Resolve an account by fuzzy name.',
  parameters: z.object({ accountId: z.string(), limit: z.number().optional() }),
});
const account360 = chatToolFromZod({
  name: 'account_360',
  description: 'Account profile.',
  parameters: z.object({ accountId: z.string() }),
});

const WITH_TOOLS: ChatModelRequest = {
  ...USER_ONLY,
  tools: [findAccounts, account360],
  toolChoice: 'auto',
};

function ofType<T extends ChatModelEvent['type']>(
  events: readonly ChatModelEvent[],
  type: T,
): Extract<ChatModelEvent, { type: T }>[] {
  return events.filter(
    (e): e is Extract<ChatModelEvent, { type: T }> => e.type === type,
  );
}

describe('OpenAIChatModel streaming', () => {
  it('streams text deltas in order, then finish with the reported usage', async () => {
    server.enqueue(
      scripted.textStream(['Hel', 'lo', ' world'], {
        usage: { promptTokens: 12, completionTokens: 3 },
      }),
    );
    const events = await drain(compatibleModel(server).stream(USER_ONLY));
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'text-delta', text: ' world' },
      {
        type: 'finish',
        reason: 'stop',
        usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 },
      },
    ]);
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers['authorization']).toBe('Bearer sk-test');
    expect(request?.body).toMatchObject({
      model: 'llama-3.1-8b',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'You are a sales assistant.' },
        { role: 'user', content: 'Hello there' },
      ],
    });
  });

  it('assembles tool-call arguments split across chunks and sends the tools', async () => {
    server.enqueue(
      scripted.toolCallStream([
        {
          id: 'call_a',
          name: 'find_accounts',
          argumentsChunks: ['{"acc', 'ountId', '":"a1', '"}'],
        },
      ]),
    );
    const events = await drain(
      compatibleModel(server).stream({
        ...WITH_TOOLS,
        toolChoice: { name: 'find_accounts' },
      }),
    );
    expect(events.slice(0, -1)).toEqual([
      {
        type: 'tool-call',
        id: 'call_a',
        name: 'find_accounts',
        arguments: { accountId: 'a1' },
        rawArguments: '{"accountId":"a1"}',
      },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      reason: 'tool_calls',
    });
    const body = server.requests[0]?.body;
    expect(body?.tools?.map((t) => t.function.name)).toEqual([
      'find_accounts',
      'account_360',
    ]);
    expect(body?.tools?.[0]?.function.parameters).toMatchObject({
      type: 'object',
      properties: { accountId: { type: 'string' }, limit: { type: 'number' } },
      required: ['accountId'],
    });
    expect(body?.tool_choice).toEqual({
      type: 'function',
      function: { name: 'find_accounts' },
    });
  });

  it.each([
    ['one after another', false],
    ['interleaved', true],
  ])('assembles parallel tool calls sent %s', async (_label, interleave) => {
    server.enqueue(
      scripted.toolCallStream(
        [
          {
            id: 'call_1',
            name: 'find_accounts',
            argumentsChunks: ['{"accountId"', ':"acme"}'],
          },
          {
            id: 'call_2',
            name: 'account_360',
            argumentsChunks: ['{"accou', 'ntId":', '"a7"}'],
          },
        ],
        { interleave, text: ['Let me check.'] },
      ),
    );
    const events = await drain(compatibleModel(server).stream(WITH_TOOLS));
    expect(ofType(events, 'text-delta').map((e) => e.text)).toEqual([
      'Let me check.',
    ]);
    expect(ofType(events, 'tool-call')).toEqual([
      {
        type: 'tool-call',
        id: 'call_1',
        name: 'find_accounts',
        arguments: { accountId: 'acme' },
        rawArguments: '{"accountId":"acme"}',
      },
      {
        type: 'tool-call',
        id: 'call_2',
        name: 'account_360',
        arguments: { accountId: 'a7' },
        rawArguments: '{"accountId":"a7"}',
      },
    ]);
  });

  it('assembles parallel tool calls from a server that omits the index', async () => {
    server.enqueue(
      scripted.toolCallStream(
        [
          {
            id: 'x1',
            name: 'find_accounts',
            argumentsChunks: ['{"accountId":', '"a"}'],
          },
          {
            id: 'x2',
            name: 'account_360',
            argumentsChunks: ['{"accountId":"b"', '}'],
          },
        ],
        { omitToolCallIndex: true },
      ),
    );
    const calls = ofType(
      await drain(compatibleModel(server).stream(WITH_TOOLS)),
      'tool-call',
    );
    expect(calls.map((c) => [c.id, c.arguments])).toEqual([
      ['x1', { accountId: 'a' }],
      ['x2', { accountId: 'b' }],
    ]);
  });

  it('reports malformed JSON arguments as a tool-call-error and still finishes', async () => {
    server.enqueue(
      scripted.toolCallStream([
        {
          id: 'ok',
          name: 'account_360',
          argumentsChunks: ['{"accountId":"a1"}'],
        },
        {
          id: 'bad',
          name: 'find_accounts',
          argumentsChunks: ['{"accountId": "a1', '", limit: }'],
        },
      ]),
    );
    const events = await drain(compatibleModel(server).stream(WITH_TOOLS));
    expect(ofType(events, 'tool-call').map((c) => c.id)).toEqual(['ok']);
    const [failure] = ofType(events, 'tool-call-error');
    expect(failure).toMatchObject({
      id: 'bad',
      name: 'find_accounts',
      rawArguments: '{"accountId": "a1", limit: }',
    });
    expect(failure?.error).toMatch(/not valid JSON/);
    expect(failure?.error).not.toContain('limit');
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      reason: 'tool_calls',
    });
  });

  it('estimates usage when the server reports none', async () => {
    server.enqueue(
      scripted.textStream(['An answer of some length.'], { usage: null }),
    );
    const events = await drain(compatibleModel(server).stream(USER_ONLY));
    const finish = ofType(events, 'finish')[0];
    expect(finish?.usage.estimated).toBe(true);
    expect(finish?.usage.inputTokens).toBeGreaterThan(0);
    expect(finish?.usage.outputTokens).toBe(
      Math.ceil('An answer of some length.'.length / 4),
    );
    expect(finish?.usage.totalTokens).toBe(
      (finish?.usage.inputTokens ?? 0) + (finish?.usage.outputTokens ?? 0),
    );
  });

  it('rejects a bad request before sending anything', async () => {
    const error = await fieldwiseErrorOf(() =>
      drain(
        compatibleModel(server).stream({
          messages: [{ role: 'tool', toolCallId: 'nope', content: '{}' }],
          temperature: 3,
        }),
      ),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.violations.map((v) => v.field).sort()).toEqual([
      'temperature',
    ]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('OpenAIChatModel retries and errors', () => {
  it('retries a 429 honouring retry-after, then succeeds', async () => {
    server.enqueue(
      scripted.error(429, { retryAfter: 1 }),
      scripted.textStream(['ok']),
    );
    const { sleep, waits } = recordingSleep();
    const events = await drain(
      compatibleModel(server, {}, sleep).stream(USER_ONLY),
    );
    expect(ofType(events, 'text-delta').map((e) => e.text)).toEqual(['ok']);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([1000]);
  });

  it('prefers retry-after-ms over retry-after', async () => {
    server.enqueue(
      scripted.error(429, { retryAfter: 9, retryAfterMs: 25 }),
      scripted.textStream(['ok']),
    );
    const { sleep, waits } = recordingSleep();
    await drain(compatibleModel(server, {}, sleep).stream(USER_ONLY));
    expect(waits).toEqual([25]);
  });

  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    server.enqueue(
      scripted.error(500),
      scripted.error(503),
      scripted.textStream(['recovered']),
    );
    const { sleep, waits } = recordingSleep();
    const model = compatibleModel(
      server,
      {
        retry: { baseDelayMs: 100, maxDelayMs: 1000 },
      },
      sleep,
    );
    const events = await drain(model.stream(USER_ONLY));
    expect(ofType(events, 'text-delta')[0]?.text).toBe('recovered');
    expect(server.requests).toHaveLength(3);
    // random() is 0.5: half the ceiling plus half of the other half.
    expect(waits).toEqual([75, 150]);
  });

  it('gives RATE_LIMITED with the server wait after the last 429', async () => {
    server.enqueue(
      scripted.error(429, { retryAfterMs: 10 }),
      scripted.error(429, { retryAfterMs: 10 }),
      scripted.error(429, { retryAfter: 7, message: 'SECRET PROMPT TEXT' }),
    );
    const model = compatibleModel(server, { retry: { maxRetries: 2 } });
    const error = await fieldwiseErrorOf(() => drain(model.stream(USER_ONLY)));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.context).toMatchObject({
      httpStatus: 429,
      provider: 'openai-compatible',
    });
    expect(error.message).not.toContain('SECRET');
    expect(error.cause).toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });

  it('does not wait for a retry-after longer than the policy allows', async () => {
    server.enqueue(
      scripted.error(429, { retryAfter: 120 }),
      scripted.textStream(['never']),
    );
    const error = await fieldwiseErrorOf(() =>
      drain(compatibleModel(server).stream(USER_ONLY)),
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(120);
    expect(server.requests).toHaveLength(1);
  });

  it('gives DEPENDENCY_UNAVAILABLE after persistent 5xx, without the provider body', async () => {
    for (let i = 0; i < 4; i += 1) {
      server.enqueue(
        scripted.error(502, { message: 'upstream echoed: SECRET PROMPT' }),
      );
    }
    const error = await fieldwiseErrorOf(() =>
      drain(
        compatibleModel(server, { retry: { maxRetries: 3 } }).stream(USER_ONLY),
      ),
    );
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.message).not.toContain('SECRET');
    expect(JSON.stringify(error.context)).not.toContain('SECRET');
    expect(server.requests).toHaveLength(4);
  });

  it('maps a 400 to VALIDATION_FAILED without retrying or echoing the body', async () => {
    server.enqueue(
      scripted.error(400, {
        message:
          "This model's maximum context length is exceeded: 'SECRET PROMPT'",
        code: 'context_length_exceeded',
      }),
    );
    const error = await fieldwiseErrorOf(() =>
      drain(compatibleModel(server).stream(USER_ONLY)),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.context['providerCode']).toBe('context_length_exceeded');
    expect(error.message).not.toContain('SECRET');
    expect(server.requests).toHaveLength(1);
  });

  it('maps refused credentials to DEPENDENCY_UNAVAILABLE without retrying', async () => {
    server.enqueue(scripted.error(401));
    const error = await fieldwiseErrorOf(() =>
      drain(compatibleModel(server).stream(USER_ONLY)),
    );
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.context['httpStatus']).toBe(401);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection lost before any output reached the caller', async () => {
    // Only the role chunk is sent before the connection drops.
    server.enqueue(
      scripted.textStream(['lost'], { disconnectAfterChunks: 1 }),
      scripted.textStream(['second try']),
    );
    const events = await drain(compatibleModel(server).stream(USER_ONLY));
    expect(ofType(events, 'text-delta').map((e) => e.text)).toEqual([
      'second try',
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries once text reached the caller', async () => {
    server.enqueue(
      scripted.textStream(['partial', 'never sent'], {
        disconnectAfterChunks: 2,
      }),
      scripted.textStream(['must not be used']),
    );
    const seen: ChatModelEvent[] = [];
    const error = await fieldwiseErrorOf(async () => {
      for await (const event of compatibleModel(server).stream(USER_ONLY))
        seen.push(event);
    });
    expect(seen).toEqual([{ type: 'text-delta', text: 'partial' }]);
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(server.requests).toHaveLength(1);
    expect(server.pending).toBe(1);
  });

  it('retries an error event inside the stream when nothing was streamed yet', async () => {
    server.enqueue(
      scripted.rawStream([
        { error: { message: 'overloaded: SECRET', type: 'server_error' } },
      ]),
      scripted.textStream(['fine']),
    );
    const events = await drain(compatibleModel(server).stream(USER_ONLY));
    expect(ofType(events, 'text-delta').map((e) => e.text)).toEqual(['fine']);
    expect(server.requests).toHaveLength(2);
  });

  it('fails an unreadable chunk without printing or quoting it', async () => {
    server.enqueue(
      scripted.rawStream(['{"choices": [SECRET MODEL OUTPUT', '[DONE]']),
    );
    const error = await fieldwiseErrorOf(() =>
      drain(compatibleModel(server).stream(USER_ONLY)),
    );
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.message).toMatch(/could not be read/);
    expect(error.message).not.toContain('SECRET');
    expect(server.requests).toHaveLength(1);
  });

  it('gives DEPENDENCY_UNAVAILABLE when nothing listens', async () => {
    const closed = await startScriptedOpenAIServer();
    const baseURL = closed.baseURL;
    await closed.close();
    const model = compatibleModel(
      server,
      { retry: { maxRetries: 1 } },
      undefined,
      { baseURL },
    );
    const error = await fieldwiseErrorOf(() => drain(model.stream(USER_ONLY)));
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.message).toMatch(/could not be reached/);
  });
});

describe('OpenAIChatModel cancellation and timeouts', () => {
  it('stops with CANCELLED when the caller aborts mid-stream', async () => {
    server.enqueue(
      scripted.textStream(['first', 'second'], { stallAfterChunks: 2 }),
    );
    const controller = new AbortController();
    const seen: ChatModelEvent[] = [];
    const error = await fieldwiseErrorOf(async () => {
      for await (const event of compatibleModel(server).stream(USER_ONLY, {
        signal: controller.signal,
      })) {
        seen.push(event);
        controller.abort();
      }
    });
    expect(error.code).toBe('CANCELLED');
    expect(seen).toEqual([{ type: 'text-delta', text: 'first' }]);
  });

  it('stops with CANCELLED when aborted before the server answers', async () => {
    server.enqueue(scripted.stall());
    const controller = new AbortController();
    const pending = drain(
      compatibleModel(server).stream(USER_ONLY, { signal: controller.signal }),
    );
    // Abort once the request has reached the server.
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    const error = await fieldwiseErrorOf(() => pending);
    expect(error.code).toBe('CANCELLED');
  });

  it('gives DEADLINE_EXCEEDED when the server never answers', async () => {
    server.enqueue(scripted.stall());
    const error = await fieldwiseErrorOf(() =>
      drain(compatibleModel(server).stream(USER_ONLY, { timeoutMs: 200 })),
    );
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(server.requests).toHaveLength(1);
  });

  it('gives DEADLINE_EXCEEDED when a stream stalls after some output', async () => {
    server.enqueue(scripted.textStream(['slow'], { stallAfterChunks: 2 }));
    const model = compatibleModel(server, { timeoutMs: 300 });
    const error = await fieldwiseErrorOf(() => drain(model.stream(USER_ONLY)));
    expect(error.code).toBe('DEADLINE_EXCEEDED');
  });
});

describe('OpenAIChatModel.complete', () => {
  it('returns text, tool calls and usage from a non-streaming answer', async () => {
    server.enqueue(
      scripted.toolCallStream(
        [
          {
            id: 'c1',
            name: 'find_accounts',
            argumentsChunks: ['{"accountId":', '"a1"}'],
          },
          { id: 'c2', name: 'account_360', argumentsChunks: ['{oops'] },
        ],
        {
          text: ['Checking'],
          usage: { promptTokens: 40, completionTokens: 9 },
        },
      ),
    );
    const result = await compatibleModel(server).complete(WITH_TOOLS);
    expect(server.requests[0]?.body?.stream).toBe(false);
    expect(result).toEqual({
      text: 'Checking',
      toolCalls: [
        {
          id: 'c1',
          name: 'find_accounts',
          arguments: { accountId: 'a1' },
          rawArguments: '{"accountId":"a1"}',
        },
      ],
      toolCallErrors: [
        {
          id: 'c2',
          name: 'account_360',
          rawArguments: '{oops',
          error: expect.stringMatching(/not valid JSON/) as unknown,
        },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 40, outputTokens: 9, totalTokens: 49 },
    });
  });

  it('retries a 429 and sends prior tool calls and results back', async () => {
    server.enqueue(
      scripted.error(429, { retryAfterMs: 5 }),
      scripted.textStream(['Done.']),
    );
    const result = await compatibleModel(server).complete({
      messages: [
        { role: 'user', content: 'Look up Acme' },
        {
          role: 'assistant',
          toolCalls: [
            {
              id: 'c1',
              name: 'find_accounts',
              arguments: { accountId: 'acme' },
            },
          ],
        },
        { role: 'tool', toolCallId: 'c1', content: '{"id":"a1"}' },
      ],
      tools: [findAccounts],
      maxTokens: 200,
    });
    expect(result.text).toBe('Done.');
    expect(server.requests).toHaveLength(2);
    const body = server.requests[1]?.body;
    expect(body?.max_tokens).toBe(200);
    expect(body?.messages?.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: {
              name: 'find_accounts',
              arguments: '{"accountId":"acme"}',
            },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{"id":"a1"}' },
    ]);
  });
});

describe('providers', () => {
  it('calls Azure OpenAI on the deployment path with api-version and api-key', async () => {
    server.enqueue(scripted.textStream(['azure']));
    const model = new OpenAIChatModel(
      {
        provider: 'azure-openai',
        endpoint: `${server.origin}/`,
        apiKey: 'azure-key',
        apiVersion: '2024-10-21',
        deployment: 'gpt4o-prod',
      },
      { logger: silentLogger },
    );
    expect(model.info).toEqual({
      provider: 'azure-openai',
      name: 'gpt4o-prod',
      offline: false,
    });
    const events = await drain(model.stream({ ...USER_ONLY, maxTokens: 50 }));
    expect(ofType(events, 'text-delta')[0]?.text).toBe('azure');
    const [request] = server.requests;
    expect(request?.path).toBe(
      '/openai/deployments/gpt4o-prod/chat/completions',
    );
    expect(request?.deployment).toBe('gpt4o-prod');
    expect(request?.query['api-version']).toBe('2024-10-21');
    expect(request?.headers['api-key']).toBe('azure-key');
    expect(request?.body?.max_completion_tokens).toBe(50);
  });

  it('calls OpenAI with the key as a bearer token and max_completion_tokens', async () => {
    server.enqueue(scripted.textStream(['hi']));
    const model = new OpenAIChatModel(
      {
        provider: 'openai',
        apiKey: 'sk-live',
        model: 'gpt-4o-mini',
        baseURL: server.baseURL,
      },
      { logger: silentLogger },
    );
    await drain(
      model.stream({ ...USER_ONLY, maxTokens: 64, temperature: 0.2 }),
    );
    const [request] = server.requests;
    expect(request?.headers['authorization']).toBe('Bearer sk-live');
    expect(request?.body).toMatchObject({
      model: 'gpt-4o-mini',
      max_completion_tokens: 64,
      temperature: 0.2,
    });
    expect(request?.body?.max_tokens).toBeUndefined();
    expect(model.info).toEqual({
      provider: 'openai',
      name: 'gpt-4o-mini',
      offline: false,
    });
  });
});

describe('environment isolation', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('ignores the OpenAI variables of the process: configuration is passed in', async () => {
    vi.stubEnv('OPENAI_BASE_URL', 'http://127.0.0.1:9/v1');
    vi.stubEnv('OPENAI_ORG_ID', 'org-from-env');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj-from-env');
    vi.stubEnv('OPENAI_LOG', 'debug');
    server.enqueue(scripted.textStream(['a']), scripted.textStream(['b']));
    const azure = new OpenAIChatModel(
      {
        provider: 'azure-openai',
        endpoint: server.origin,
        apiKey: 'k',
        apiVersion: '2024-10-21',
        deployment: 'd',
      },
      { logger: silentLogger },
    );
    await drain(azure.stream(USER_ONLY));
    await drain(compatibleModel(server).stream(USER_ONLY));
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.headers['openai-organization']).toBeUndefined();
      expect(request.headers['openai-project']).toBeUndefined();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
