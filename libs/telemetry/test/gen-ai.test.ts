import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import { FieldwiseError } from '@fieldwise/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInMemoryTracing, type InMemoryTracing } from '../src/testing.js';
import {
  GEN_AI,
  recordModelContent,
  recordModelError,
  recordModelUsage,
  startModelSpan,
} from '../src/index.js';

let tracing: InMemoryTracing;
beforeAll(() => {
  tracing = createInMemoryTracing();
});
beforeEach(() => tracing.reset());
afterAll(() => tracing.shutdown());

describe('GenAI model spans', () => {
  it('uses the installed semantic-convention names', () => {
    expect(GEN_AI).toEqual({
      SYSTEM: incubating.ATTR_GEN_AI_SYSTEM,
      PROVIDER_NAME: incubating.ATTR_GEN_AI_PROVIDER_NAME,
      OPERATION_NAME: incubating.ATTR_GEN_AI_OPERATION_NAME,
      REQUEST_MODEL: incubating.ATTR_GEN_AI_REQUEST_MODEL,
      REQUEST_MAX_TOKENS: incubating.ATTR_GEN_AI_REQUEST_MAX_TOKENS,
      REQUEST_TEMPERATURE: incubating.ATTR_GEN_AI_REQUEST_TEMPERATURE,
      RESPONSE_MODEL: incubating.ATTR_GEN_AI_RESPONSE_MODEL,
      RESPONSE_ID: incubating.ATTR_GEN_AI_RESPONSE_ID,
      RESPONSE_FINISH_REASONS: incubating.ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
      USAGE_INPUT_TOKENS: incubating.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
      USAGE_OUTPUT_TOKENS: incubating.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
      INPUT_MESSAGES: incubating.ATTR_GEN_AI_INPUT_MESSAGES,
      OUTPUT_MESSAGES: incubating.ATTR_GEN_AI_OUTPUT_MESSAGES,
    });
  });

  it('sets request and usage attributes on a CLIENT span named "{operation} {model}"', () => {
    const tracer = trace.getTracer('llm');
    const span = startModelSpan(tracer, {
      system: 'openai',
      operation: 'chat',
      model: 'gpt-4o-mini',
      maxTokens: 512,
      temperature: 0.2,
      serverAddress: 'api.openai.com',
      serverPort: 443,
    });
    recordModelUsage(span, {
      inputTokens: 321,
      outputTokens: 45,
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-1',
      finishReasons: ['tool_calls'],
    });
    span.end();
    const [finished] = tracing.spans();
    expect(finished?.name).toBe('chat gpt-4o-mini');
    expect(finished?.kind).toBe(SpanKind.CLIENT);
    expect(finished?.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 512,
      'gen_ai.request.temperature': 0.2,
      'server.address': 'api.openai.com',
      'server.port': 443,
      'gen_ai.usage.input_tokens': 321,
      'gen_ai.usage.output_tokens': 45,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
  });

  it('maps Azure to the registered provider value and nests under the active span', () => {
    const tracer = trace.getTracer('llm');
    tracer.startActiveSpan('turn', (turn) => {
      const span = startModelSpan(tracer, {
        system: 'azure.openai',
        operation: 'embeddings',
        model: 'text-embedding-3-small',
      });
      span.end();
      turn.end();
    });
    const [embeddings, turn] = tracing.spans();
    expect(embeddings?.name).toBe('embeddings text-embedding-3-small');
    expect(embeddings?.attributes['gen_ai.provider.name']).toBe(
      incubating.GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI,
    );
    expect(embeddings?.attributes['gen_ai.system']).toBe('azure.ai.openai');
    expect(embeddings?.attributes).not.toHaveProperty(
      'gen_ai.request.max_tokens',
    );
    expect(embeddings?.parentSpanContext?.spanId).toBe(
      turn?.spanContext().spanId,
    );
  });

  it('records no content unless capture is enabled', () => {
    const tracer = trace.getTracer('llm');
    const content = {
      input: [{ role: 'user', content: 'What is the Acme renewal date?' }],
      output: [{ role: 'assistant', content: 'March 3' }],
    };
    const off = startModelSpan(tracer, {
      system: 'fieldwise.offline',
      operation: 'chat',
      model: 'planner',
    });
    expect(recordModelContent(off, content, { captureContent: false })).toBe(
      false,
    );
    off.end();
    const on = startModelSpan(tracer, {
      system: 'fieldwise.offline',
      operation: 'chat',
      model: 'planner',
    });
    expect(recordModelContent(on, content, { captureContent: true })).toBe(
      true,
    );
    on.end();
    const [offSpan, onSpan] = tracing.spans();
    expect(offSpan?.attributes['gen_ai.provider.name']).toBe(
      'fieldwise.offline',
    );
    expect(JSON.stringify(offSpan?.attributes)).not.toContain('Acme');
    expect(onSpan?.attributes['gen_ai.input.messages']).toBe(
      JSON.stringify(content.input),
    );
    expect(onSpan?.attributes['gen_ai.output.messages']).toBe(
      JSON.stringify(content.output),
    );
  });

  it('marks failures with error.type', () => {
    const tracer = trace.getTracer('llm');
    const span = startModelSpan(tracer, {
      system: 'openai',
      operation: 'chat',
      model: 'm',
    });
    recordModelError(
      span,
      new FieldwiseError('DEADLINE_EXCEEDED', 'model call timed out'),
    );
    span.end();
    const plain = startModelSpan(tracer, {
      system: 'openai',
      operation: 'chat',
      model: 'm',
    });
    recordModelError(plain, new TypeError('bad'));
    plain.end();
    const [first, second] = tracing.spans();
    expect(first?.attributes['error.type']).toBe('DEADLINE_EXCEEDED');
    expect(first?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'model call timed out',
    });
    expect(second?.attributes['error.type']).toBe('TypeError');
  });
});
