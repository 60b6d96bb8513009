import { randomInt } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AUDIT_EVENT_TYPES,
  type AuditRequestV1,
  type PayloadDigest,
} from '@fieldwise/events';
import type { GuardrailResult, GuardrailStage } from '@fieldwise/guardrails';
import { auditActorOf, traceIdOf, traceparentOf } from '../../audit/actor.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import {
  payloadDigest,
  type PayloadRedactor,
} from '../../audit/payload-digest.js';
import './authz.js';
import './guardrails.js';
import './problem.js';
import './rate-limit.js';
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
    /** Whether this request's audit event has been recorded already. */
    auditRecorded: boolean;
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

const STAGE: Record<
  GuardrailStage,
  NonNullable<AuditRequestV1['guardrails']>[number]['stage']
> = {
  input: 'input',
  output: 'output',
  ingestion: 'ingestion',
  toolOutput: 'tool-output',
};

/** The request's route decision and the rule that decided it. */
export function requestAuthz(request: FastifyRequest): AuditRequestV1['authz'] {
  const decision = request.authzDecision;
  if (!decision) return undefined;
  return {
    decision: decision.allowed ? 'allow' : 'deny',
    rule: decision.rule.slice(0, 512),
    ...(decision.ruleSource
      ? { ruleSource: decision.ruleSource.slice(0, 256) }
      : {}),
    ...(request.authzPolicyVersion !== undefined
      ? { policyVersion: String(request.authzPolicyVersion) }
      : {}),
  };
}

/** Each guardrail check of the request: outcome and per-rule verdicts, no text. */
export function requestGuardrails(
  results: readonly GuardrailResult[],
): AuditRequestV1['guardrails'] {
  return results.slice(0, 32).map((result) => ({
    stage: STAGE[result.stage],
    action: result.action,
    verdicts: result.verdicts.slice(0, 32).map((verdict) => {
      const hit = result.hits.find((h) => h.ruleId === verdict.ruleId);
      return {
        rule: verdict.ruleId.slice(0, 128),
        triggered: verdict.triggered,
        ...(hit ? { outcome: hit.outcome } : {}),
        findings: verdict.findings.length,
        ...(verdict.error !== undefined ? { error: true } : {}),
      };
    }),
  }));
}

/**
 * One `fieldwise.audit.request.v1` event per request through the outbox:
 * principal (an API key's id for service accounts), route pattern, status,
 * error code, latency, trace id, the authorization decision and the rule
 * that decided, every rate limit's state, every guardrail check's verdicts,
 * whether payload sampling picked the request, and for
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

    app.decorateRequest('auditRecorded', false);

    // The request's audit event is committed to the outbox BEFORE the
    // response leaves (concurrent requests share the commit): a replica
    // killed right after answering has already recorded what it answered.
    app.addHook('onSend', async (request, reply, payload) => {
      if (UNAUDITED.test(request.url)) return payload;
      if (request.auditSampled) {
        if (typeof payload === 'string') request.auditResponseBody = payload;
        else if (Buffer.isBuffer(payload))
          request.auditResponseBody = payload.toString('utf8');
      }
      await recordRequest(request, reply);
      await options.sink.whenDurable();
      return payload;
    });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
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
      // Hijacked replies (SSE streams) never pass onSend: their event is
      // recorded when the stream has ended.
      if (!request.auditRecorded && !UNAUDITED.test(request.url)) {
        await recordRequest(request, reply);
      }
    });

    async function recordRequest(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<void> {
      request.auditRecorded = true;
      const route = request.routeOptions.url;
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
      const authz = requestAuthz(request);
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
          ...(authz ? { authz } : {}),
          ...(request.rateLimits
            ? {
                rateLimits: request.rateLimits.slice(0, 8).map((state) => ({
                  name: state.name,
                  max: state.max,
                  remaining: Math.max(0, Math.floor(state.remaining)),
                  resetSeconds: Math.max(0, Math.ceil(state.resetSeconds)),
                  exceeded: state.exceeded,
                  store: state.store,
                })),
              }
            : {}),
          ...(request.guardrailResults
            ? { guardrails: requestGuardrails(request.guardrailResults) }
            : {}),
          payloadSampled: keep,
        },
        { traceparent: traceparentOf(request) },
      );
    }
    done();
  },
  { name: 'audit', dependencies: ['problem', 'tracing'] },
);
