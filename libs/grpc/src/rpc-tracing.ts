import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';
import { GrpcStatus } from '@fieldwise/errors';
import { metadataGetter } from './metadata-carrier.js';
import { parseMethodPath } from './rpc-method.js';

const TRACER_NAME = '@fieldwise/grpc';

/** Server statuses that mean the server failed (OpenTelemetry RPC conventions). */
const SERVER_ERROR_STATUSES: ReadonlySet<number> = new Set([
  GrpcStatus.UNKNOWN,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.UNIMPLEMENTED,
  GrpcStatus.INTERNAL,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

export function rpcAttributes(path: string): Record<string, string> {
  const { service, method } = parseMethodPath(path);
  return { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method };
}

/**
 * Starts the SERVER span of a call as a child of the W3C context found in
 * its metadata, through the globally registered propagator and tracer
 * provider (no-ops until telemetry is configured).
 */
export function startServerSpan(
  path: string,
  metadata: Metadata,
): { span: Span; spanContext: Context } {
  const parent = propagation.extract(
    context.active(),
    metadata,
    metadataGetter,
  );
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(
      parseMethodPath(path).spanName,
      { kind: SpanKind.SERVER, attributes: rpcAttributes(path) },
      parent,
    );
  return { span, spanContext: trace.setSpan(parent, span) };
}

/** Starts the CLIENT span of one call attempt under the active context. */
export function startClientSpan(path: string): {
  span: Span;
  spanContext: Context;
} {
  const parent = context.active();
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(
      parseMethodPath(path).spanName,
      { kind: SpanKind.CLIENT, attributes: rpcAttributes(path) },
      parent,
    );
  return { span, spanContext: trace.setSpan(parent, span) };
}

/** Records the final status on a span and ends it. */
export function endRpcSpan(
  span: Span,
  kind: 'client' | 'server',
  code: number,
  message: string,
  error?: unknown,
): void {
  span.setAttribute('rpc.grpc.status_code', code);
  const failed =
    kind === 'client'
      ? code !== GrpcStatus.OK
      : SERVER_ERROR_STATUSES.has(code);
  if (failed) {
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}

/** The trace and span id of a span, when it is recording a real trace. */
export function spanIds(span: Span): { traceId?: string; spanId?: string } {
  const spanContext = span.spanContext();
  if (!trace.isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
