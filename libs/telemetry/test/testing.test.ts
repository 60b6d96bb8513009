import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInMemoryTracing, type InMemoryTracing } from '../src/testing.js';

let tracing: InMemoryTracing;
beforeAll(() => {
  tracing = createInMemoryTracing();
});
beforeEach(() => tracing.reset());
afterAll(() => tracing.shutdown());

describe('createInMemoryTracing', () => {
  it('captures finished spans with parent and child linked', async () => {
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('parent', async (parent) => {
      await Promise.resolve();
      const child = tracer.startSpan('child', { kind: SpanKind.CLIENT });
      child.end();
      parent.end();
    });
    const spans = tracing.spans();
    expect(spans.map((s) => s.name)).toEqual(['child', 'parent']);
    const [child, parent] = spans;
    expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(parent?.parentSpanContext).toBeUndefined();
    expect(tracing.exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('reset forgets earlier spans', () => {
    trace.getTracer('test').startSpan('one').end();
    expect(tracing.spans()).toHaveLength(1);
    tracing.reset();
    expect(tracing.spans()).toEqual([]);
  });

  it('continues a trace extracted from a traceparent header', () => {
    const incoming = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    const parentContext = propagation.extract(context.active(), incoming);
    const outgoing: Record<string, string> = {};
    context.with(parentContext, () => {
      const span = trace.getTracer('test').startSpan('server');
      context.with(trace.setSpan(context.active(), span), () => {
        propagation.inject(context.active(), outgoing);
      });
      span.end();
    });
    const [server] = tracing.spans();
    expect(server?.spanContext().traceId).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
    expect(server?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(outgoing.traceparent).toBe(
      `00-0af7651916cd43dd8448eb211c80319c-${server?.spanContext().spanId}-01`,
    );
  });
});

describe('shutdown', () => {
  it('removes the globals so a fresh setup can register', async () => {
    const second = createInMemoryTracing();
    trace.getTracer('test').startSpan('in second').end();
    expect(second.spans().map((s) => s.name)).toEqual(['in second']);
    await second.shutdown();
    await second.shutdown();
    const span = trace.getTracer('test').startSpan('after shutdown');
    expect(span.isRecording()).toBe(false);
    span.end();
    tracing = createInMemoryTracing();
  });
});
