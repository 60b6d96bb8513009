import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import {
  isSpanContextValid,
  TraceFlags,
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's SERVER span; gRPC calls made for this request are its children. */
    span: Span | undefined;
    /** The OpenTelemetry context holding `span`; run downstream calls inside it. */
    otelContext: Context | undefined;
  }
}

/**
 * One SERVER span per request, continuing an incoming `traceparent`. Spans are
 * created by hand (not by require hooks) so they work under ESM and in tests
 * that use an in-memory exporter. Downstream calls run in `request.otelContext`.
 */
export const tracingPlugin = fp(
  (app, _options, done) => {
    app.decorateRequest('span', undefined);
    app.decorateRequest('otelContext', undefined);
    app.addHook('onRequest', (request, reply, next) => {
      const parent = propagation.extract(context.active(), request.headers);
      const route = request.routeOptions.url ?? 'unmatched';
      // Looked up per request so a provider registered later (tests) is used.
      let span = trace.getTracer('@fieldwise/gateway').startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'http.route': route,
            'url.path': request.url.split('?')[0] ?? request.url,
          },
        },
        parent,
      );
      if (!isSpanContextValid(span.spanContext())) {
        // No tracer provider and no incoming trace: still give the request a
        // unique trace id, so its errors, logs and audit events correlate.
        span = trace.wrapSpanContext({
          traceId: randomBytes(16).toString('hex'),
          spanId: randomBytes(8).toString('hex'),
          traceFlags: TraceFlags.NONE,
        });
      }
      request.span = span;
      request.otelContext = trace.setSpan(parent, span);
      const traceId = span.spanContext().traceId;
      request.log = request.log.child({
        traceId,
        spanId: span.spanContext().spanId,
      });
      void reply.header('trace-id', traceId);
      next();
    });
    app.addHook('onResponse', (request, reply, next) => {
      const span = request.span;
      if (span) {
        span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500)
          span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      next();
    });
    done();
  },
  { name: 'tracing' },
);
