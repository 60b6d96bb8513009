import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { FieldwiseError } from '@fieldwise/errors';
import { AUDIT_EVENT_TYPES, type AuditGuardrailHitV1 } from '@fieldwise/events';
import type {
  GuardrailHit,
  GuardrailPipeline,
  GuardrailResult,
  GuardrailStage,
} from '@fieldwise/guardrails';
import { auditActorOf, traceIdOf, traceparentOf } from '../../audit/actor.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import {
  createOutputStreamWindow,
  type OutputStreamWindow,
  type StreamWindowSize,
} from '../../guardrails/stream-window.js';
import {
  payloadDigest,
  type PayloadRedactor,
} from '../../audit/payload-digest.js';

/** Which user text of a route the guardrails check. */
export interface RouteGuardrails {
  /** Top-level string fields of the JSON body checked on input. */
  readonly body?: readonly string[];
  /** Query parameters checked on input. */
  readonly query?: readonly string[];
  /** Top-level string fields of the JSON response checked on output. */
  readonly output?: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's user text: checked on input (body, query) and output. */
    guardrails?: RouteGuardrails;
  }
  interface FastifyRequest {
    /** Every guardrail result of this request, input and output. */
    guardrailResults: GuardrailResult[] | undefined;
  }
  interface FastifyInstance {
    /**
     * Checks one text at a stage for a request: records every hit as an
     * audit event and throws `GUARDRAIL_BLOCKED` (422) on a block. Returns
     * the text to use (redacted where a redact-mode rule matched). Streamed
     * chat output goes through this per window.
     */
    guardText(
      request: FastifyRequest,
      stage: GuardrailStage,
      text: string,
    ): Promise<string>;
    /**
     * Output guardrails for a streamed answer, checked in windows before any
     * text is released (see `createOutputStreamWindow`); the stream's real
     * verdict is recorded like `guardText`'s, once, when it ends.
     */
    guardOutputStream(
      request: FastifyRequest,
      size: StreamWindowSize,
    ): OutputStreamWindow;
  }
}

/** Options of {@link guardrailsPlugin}. */
export interface GuardrailsPluginOptions {
  readonly pipeline: GuardrailPipeline;
  /** The system prompt's canary token, checked on output. */
  readonly canary?: string;
  readonly redactor: PayloadRedactor;
  readonly payloadMaxBytes: number;
  readonly audit: AuditSink;
}

const CATEGORY: Record<GuardrailHit['kind'], AuditGuardrailHitV1['category']> =
  {
    injection: 'prompt-injection',
    pii: 'pii',
    secret: 'secret',
    topic: 'topic',
    length: 'length',
    leak: 'system-prompt-leak',
    classifier: 'classifier',
    // The audit schema has no category for these; links and images that
    // would exfiltrate data are an injection's payload, so they count as one.
    sanitizer: 'prompt-injection',
    custom: 'classifier',
  };

const STAGE: Record<GuardrailStage, AuditGuardrailHitV1['stage']> = {
  input: 'input',
  output: 'output',
  ingestion: 'ingestion',
  toolOutput: 'tool-output',
};

function routeKey(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? ''}`;
}

/**
 * Guardrails on the request's user text (input) and on the answer (output),
 * with per-route modes from the guardrail configuration. A block is 422
 * problem+json whose `type` ends in `/guardrail-blocked`; a redaction
 * rewrites the text the handler (or the client) sees; a flag only records.
 * Every hit is a `fieldwise.audit.guardrail.hit.v1` event: rule, mode,
 * finding counts and the redacted payload's digest, never the matched text.
 */
export const guardrailsPlugin = fp<GuardrailsPluginOptions>(
  (app, options, done) => {
    const recordResult = async (
      request: FastifyRequest,
      stage: GuardrailStage,
      result: GuardrailResult,
      text: string,
    ): Promise<void> => {
      const route = routeKey(request);
      (request.guardrailResults ??= []).push(result);
      if (result.hits.length > 0) {
        const payload = await payloadDigest(
          options.redactor,
          text,
          options.payloadMaxBytes,
          'text/plain',
        );
        for (const hit of result.hits) {
          options.audit.record(
            AUDIT_EVENT_TYPES.guardrailHit,
            {
              traceId: traceIdOf(request),
              actor: auditActorOf(request),
              service: 'gateway',
              rule: hit.ruleId,
              category: CATEGORY[hit.kind],
              stage: STAGE[stage],
              mode: hit.mode,
              route: route.slice(0, 256),
              ...(hit.score !== undefined
                ? { score: Math.min(1, Math.max(0, hit.score)) }
                : {}),
              findings: Object.entries(hit.findingCounts)
                .slice(0, 64)
                .map(([kind, count]) => ({ kind: kind.slice(0, 64), count })),
              payload,
            },
            { traceparent: traceparentOf(request) },
          );
        }
        request.log.info(
          {
            stage,
            route,
            hits: result.hits.map((h) => ({
              rule: h.ruleId,
              mode: h.mode,
              outcome: h.outcome,
              findings: h.findingTotal,
            })),
          },
          'guardrail hits',
        );
      }
    };

    const guardText = async (
      request: FastifyRequest,
      stage: GuardrailStage,
      text: string,
    ): Promise<string> => {
      const result = await options.pipeline.check(stage, text, {
        route: routeKey(request),
        ...(stage === 'output' && options.canary
          ? { canary: options.canary }
          : {}),
      });
      await recordResult(request, stage, result, text);
      if (result.action === 'block') {
        const rules = result.hits
          .filter((h) => h.outcome === 'blocked')
          .map((h) => h.ruleId);
        throw new FieldwiseError(
          'GUARDRAIL_BLOCKED',
          `The ${stage === 'output' ? 'answer' : 'request'} was blocked by guardrail rule(s): ${rules.join(', ')}`,
          { context: { stage, rules: rules.join(',') } },
        );
      }
      return result.text;
    };

    app.decorate('guardText', guardText);
    app.decorate(
      'guardOutputStream',
      (request: FastifyRequest, size: StreamWindowSize) =>
        createOutputStreamWindow({
          ...size,
          pipeline: options.pipeline,
          route: routeKey(request),
          ...(options.canary ? { canary: options.canary } : {}),
          onVerdict: (result, seen) =>
            recordResult(request, 'output', result, seen).catch(
              (error: unknown) => {
                request.log.error(
                  { err: error },
                  'recording the stream guardrail verdict failed',
                );
              },
            ),
        }),
    );
    app.decorateRequest('guardrailResults', undefined);

    // After validation: only well-formed requests reach the (costlier) checks.
    app.addHook('preHandler', async (request) => {
      const spec = request.routeOptions.config.guardrails;
      if (!spec) return;
      const guardFields = async (
        source: unknown,
        fields: readonly string[] | undefined,
      ): Promise<void> => {
        if (!fields || typeof source !== 'object' || source === null) return;
        const record = source as Record<string, unknown>;
        for (const field of fields) {
          const value = record[field];
          if (typeof value !== 'string' || value.length === 0) continue;
          record[field] = await guardText(request, 'input', value);
        }
      };
      await guardFields(request.body, spec.body);
      await guardFields(request.query, spec.query);
    });

    app.addHook('preSerialization', async (request, _reply, payload) => {
      const fields = request.routeOptions.config.guardrails?.output;
      if (!fields || typeof payload !== 'object' || payload === null)
        return payload;
      const record = { ...(payload as Record<string, unknown>) };
      for (const field of fields) {
        const value = record[field];
        if (typeof value !== 'string' || value.length === 0) continue;
        record[field] = await guardText(request, 'output', value);
      }
      return record;
    });
    done();
  },
  { name: 'guardrails' },
);
