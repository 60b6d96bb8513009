import { randomInt } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AUDIT_EVENT_TYPES, type PayloadDigest } from '@fieldwise/events';
import { auditActorOf, traceIdOf, traceparentOf } from '../../audit/actor.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import {
  payloadDigest,
  type PayloadRedactor,
} from '../../audit/payload-digest.js';
import './problem.js';
import './tracing.js';

/** Options of {@link auditPlugin}. */
export interface AuditPluginOptions {
  readonly sink: AuditSink;
  readonly redactor: PayloadRedactor;
  /** Percent (0–100) of requests whose payload digests are recorded. */
  readonly payloadSamplePercent: number;
  /** Payloads are cut to this many bytes (after redaction) before hashing. */
  readonly payloadMaxBytes: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The response body as sent, kept only for sampled requests. */
    auditResponseBody: string | undefined;
    /** Whether this request's payload digests are recorded. */
    auditSampled: boolean;
  }
  interface FastifyInstance {
    /** Where this gateway's audit events go. */
    auditSink: AuditSink;
  }
}

// Probes and the API document are not requests anyone audits.
const UNAUDITED = /^\/(?:healthz|readyz|metrics|docs)(?:[/?]|$)/;

function requestBodyText(request: FastifyRequest): string | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  try {
    return JSON.stringify(body);
  } catch {
    return undefined;
  }
}

/**
 * One `fieldwise.audit.request.v1` event per request through the outbox:
 * principal, route pattern, status, error code, latency, trace id, and for
 * sampled requests the digests of the redacted, size-capped request and
 * response bodies. The authorization deny, rate-limit and guardrail events
 * of the same request carry the same trace id. Also writes the one access
 * log line per request, without query string or body.
 */
export const auditPlugin = fp<AuditPluginOptions>(
  (app, options, done) => {
    app.decorate('auditSink', options.sink);
    app.decorateRequest('auditResponseBody', undefined);
    app.decorateRequest('auditSampled', false);
    const sampled = (): boolean =>
      options.payloadSamplePercent >= 100 ||
      (options.payloadSamplePercent > 0 &&
        randomInt(100) < options.payloadSamplePercent);

    app.addHook('onRequest', (request, _reply, next) => {
      request.auditSampled = sampled();
      next();
    });

    app.addHook('onSend', (request, _reply, payload, next) => {
      const keep = request.auditSampled;
      if (keep && !UNAUDITED.test(request.url)) {
        if (typeof payload === 'string') request.auditResponseBody = payload;
        else if (Buffer.isBuffer(payload))
          request.auditResponseBody = payload.toString('utf8');
      }
      next(null, payload);
    });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      const path = request.url.split('?')[0] ?? request.url;
      request.log.info(
        {
          method: request.method,
          route: route ?? 'unmatched',
          status: reply.statusCode,
          latencyMs: Math.round(reply.elapsedTime * 100) / 100,
          ...(request.problemCode ? { code: request.problemCode } : {}),
        },
        'request completed',
      );
      if (UNAUDITED.test(path)) return;
      const keep = request.auditSampled;
      let requestDigest: PayloadDigest | undefined;
      let responseDigest: PayloadDigest | undefined;
      if (keep) {
        const body = requestBodyText(request);
        if (body !== undefined) {
          requestDigest = await payloadDigest(
            options.redactor,
            body,
            options.payloadMaxBytes,
            request.headers['content-type'],
          );
        }
        if (request.auditResponseBody !== undefined) {
          const type = reply.getHeader('content-type');
          responseDigest = await payloadDigest(
            options.redactor,
            request.auditResponseBody,
            options.payloadMaxBytes,
            typeof type === 'string' ? type : undefined,
          );
          request.auditResponseBody = undefined;
        }
      }
      const userAgent = request.headers['user-agent'];
      options.sink.record(
        AUDIT_EVENT_TYPES.request,
        {
          traceId: traceIdOf(request),
          actor: auditActorOf(request),
          service: 'gateway',
          requestId: String(request.id).slice(0, 128),
          protocol: 'http',
          method: request.method.slice(0, 16),
          // The pattern, never the raw path: ids and user text stay out.
          route: (route ?? 'unmatched').slice(0, 256),
          status: reply.statusCode,
          ...(request.problemCode ? { errorCode: request.problemCode } : {}),
          latencyMs: Math.max(0, reply.elapsedTime),
          ...(typeof userAgent === 'string'
            ? { userAgent: userAgent.slice(0, 512) }
            : {}),
          ...(requestDigest ? { request: requestDigest } : {}),
          ...(responseDigest ? { response: responseDigest } : {}),
        },
        { traceparent: traceparentOf(request) },
      );
    });
    done();
  },
  { name: 'audit', dependencies: ['problem', 'tracing'] },
);
