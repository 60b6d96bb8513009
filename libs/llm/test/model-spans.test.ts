import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  createInMemoryTracing,
  type InMemoryTracing,
} from '@fieldwise/telemetry/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIChatModel, type OpenAIChatModelOptions } from '../src/index.js';
import {
  scripted,
  startScriptedOpenAIServer,
  type ScriptedOpenAIServer,
} from '../src/testing.js';
import {
  drain,
  fieldwiseErrorOf,
  recordingSleep,
  silentLogger,
} from './helpers.js';

const PROMPT = 'Tell me about ZEBRA-PROMPT-7731 please';
const ANSWER = ['GIRAFFE-', 'COMPLETION-4410'];
const REQUEST = {
  messages: [{ role: 'user', content: PROMPT }],
  temperature: 0.3,
  maxTokens: 256,
} as const;

let tracing: InMemoryTracing;
let server: ScriptedOpenAIServer;
beforeAll(async () => {
  tracing = createInMemoryTracing();
  server = await startScriptedOpenAIServer();
});
beforeEach(() => {
  tracing.reset();
  server.reset();
});
afterAll(async () => {
  await server.close();
  await tracing.shutdown();
});

function model(options: OpenAIChatModelOptions = {}): OpenAIChatModel {
  return new OpenAIChatModel(
    {
      provider: 'openai',
      apiKey: 'sk-test',
      model: 'gpt-4o-mini',
      baseURL: server.baseURL,
    },
    {
      logger: silentLogger,
      tracer: trace.getTracer('llm-test'),
      sleep: recordingSleep().sleep,
    },
    options,
  );
}

describe('GenAI spans of model calls', () => {
  it('records request, usage, retries and finish reason, and no content', async () => {
    server.enqueue(
      scripted.error(429, { retryAfterMs: 5 }),
      scripted.textStream(ANSWER, {
        usage: { promptTokens: 21, completionTokens: 4 },
        model: 'gpt-4o-mini-2024-07-18',
      }),
    );
    await drain(model().stream(REQUEST));
    const [span] = tracing.spans();
    expect(span?.name).toBe('chat gpt-4o-mini');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.temperature': 0.3,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-scripted-2',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.usage.output_tokens': 4,
      'server.address': '127.0.0.1',
      'fieldwise.llm.attempts': 2,
      'fieldwise.llm.usage_estimated': false,
    });
    expect(span?.events.map((e) => e.name)).toEqual(['fieldwise.llm.retry']);
    expect(span?.events[0]?.attributes).toMatchObject({
      attempt: 1,
      wait_ms: 5,
      'http.response.status_code': 429,
    });
    expect(span?.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(span?.attributes['gen_ai.output.messages']).toBeUndefined();
    const everything = JSON.stringify([
      span?.attributes,
      span?.events,
      span?.status,
    ]);
    expect(everything).not.toContain('ZEBRA');
    expect(everything).not.toContain('GIRAFFE');
    expect(everything).not.toContain('COMPLETION-4410');
  });

  it('marks a failed call with its error code and no provider text', async () => {
    server.enqueue(
      scripted.error(429, { retryAfter: 120, message: `quota for ${PROMPT}` }),
    );
    const error = await fieldwiseErrorOf(() => drain(model().stream(REQUEST)));
    expect(error.code).toBe('RATE_LIMITED');
    const [span] = tracing.spans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('RATE_LIMITED');
    expect(JSON.stringify([span?.attributes, span?.status])).not.toContain(
      'ZEBRA',
    );
  });

  it('puts content on the span only when captureContent is on', async () => {
    server.enqueue(scripted.textStream(ANSWER));
    await model({ captureContent: true }).complete(REQUEST);
    const [span] = tracing.spans();
    expect(String(span?.attributes['gen_ai.input.messages'])).toContain(
      'ZEBRA-PROMPT-7731',
    );
    expect(String(span?.attributes['gen_ai.output.messages'])).toContain(
      'GIRAFFE-COMPLETION-4410',
    );
  });

  it('ends the span when the caller stops reading early', async () => {
    server.enqueue(scripted.textStream(['a', 'b', 'c']));
    for await (const event of model().stream(REQUEST)) {
      expect(event.type).toBe('text-delta');
      break;
    }
    expect(tracing.spans()).toHaveLength(1);
  });
});
