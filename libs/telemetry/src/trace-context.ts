import {
  context,
  isSpanContextValid,
  trace,
  type Context,
} from '@opentelemetry/api';

/**
 * The trace id of the span active in `ctx` (the current context by default),
 * or `undefined` outside any valid span. Works in no-op mode too, since the
 * id then comes from the incoming `traceparent` or the id-only provider.
 */
export function traceIdOf(ctx: Context = context.active()): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext)
    ? spanContext.traceId
    : undefined;
}

/**
 * The W3C `traceparent` header value (`00-<trace>-<span>-<flags>`) for the
 * span active in `ctx`, or `undefined` outside any valid span. Formatted
 * directly so it does not depend on which global propagator is installed.
 */
export function currentTraceparent(
  ctx: Context = context.active(),
): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}
