import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { currentTraceparent, traceIdOf } from '../src/index.js';

describe('trace context helpers', () => {
  it('return undefined outside a span', () => {
    expect(traceIdOf(ROOT_CONTEXT)).toBeUndefined();
    expect(currentTraceparent(ROOT_CONTEXT)).toBeUndefined();
    const invalid = trace.setSpan(
      ROOT_CONTEXT,
      trace.wrapSpanContext({
        traceId: '00000000000000000000000000000000',
        spanId: '0000000000000000',
        traceFlags: TraceFlags.NONE,
      }),
    );
    expect(traceIdOf(invalid)).toBeUndefined();
  });

  it('format the span context of a given context', () => {
    const ctx = trace.setSpan(
      ROOT_CONTEXT,
      trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
      }),
    );
    expect(traceIdOf(ctx)).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(currentTraceparent(ctx)).toBe(
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    );
    const unsampled = trace.setSpan(
      ROOT_CONTEXT,
      trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.NONE,
      }),
    );
    expect(currentTraceparent(unsampled)?.endsWith('-00')).toBe(true);
  });
});
