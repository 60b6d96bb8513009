import { z } from 'zod';
import { sha256HexSchema } from './cloud-event.js';

/**
 * The audit event types. The version is part of the type: a breaking change
 * to a payload gets a new type (`...v2`) and both are accepted while
 * consumers migrate.
 */
export const AUDIT_EVENT_TYPES = {
  request: 'fieldwise.audit.request.v1',
  authzDecision: 'fieldwise.audit.authz.decision.v1',
  guardrailHit: 'fieldwise.audit.guardrail.hit.v1',
  toolCall: 'fieldwise.audit.tool.call.v1',
  dataChange: 'fieldwise.audit.data.change.v1',
  rateLimit: 'fieldwise.audit.rate.limit.v1',
} as const;

/** One of the {@link AUDIT_EVENT_TYPES} values. */
export type AuditEventType =
  (typeof AUDIT_EVENT_TYPES)[keyof typeof AUDIT_EVENT_TYPES];

/** Whether `type` names an audit event, which joins its producer's hash chain. */
export function isAuditEventType(type: string): boolean {
  return type.startsWith('fieldwise.audit.');
}

const traceId = z
  .string()
  .regex(/^[0-9a-f]{32}$/, 'expected a W3C trace id (32 lower-case hex)');

/**
 * Who acted. `onBehalfOf` is set when a service identity (the agent, the
 * evaluation identity) acts for a user; `impersonation` marks evaluation runs.
 */
export const auditActorSchema = z.object({
  userId: z.string().min(1).max(256),
  kind: z.enum(['user', 'service', 'api-key']),
  roles: z.array(z.string().min(1).max(64)).max(32),
  tenant: z.string().min(1).max(128),
  onBehalfOf: z.string().min(1).max(256).optional(),
  impersonation: z.boolean().optional(),
  /** Public id of the API key a service account authenticated with (`kind: api-key`). */
  apiKeyId: z.string().min(1).max(64).optional(),
});

/**
 * A payload as the audit stream may carry it: never clear text, only a digest
 * of the redacted body, its size, and whether redaction or truncation applied.
 */
export const payloadDigestSchema = z.object({
  sha256: sha256HexSchema,
  sizeBytes: z.number().int().nonnegative(),
  contentType: z.string().min(1).max(128).optional(),
  redacted: z.boolean(),
  truncated: z.boolean(),
});

/** Where a decision or check happened. */
export const enforcementPointSchema = z.enum([
  'gateway',
  'agent-service',
  'crm-service',
  'retrieval-service',
  'eval-service',
]);

const common = {
  traceId,
  actor: auditActorSchema,
  service: enforcementPointSchema,
};

/**
 * The route authorization decision of a request and the rule that decided
 * (`p, role:seller, *, /v1/chat, POST, allow`, `default-deny`, or an API
 * key's route scopes).
 */
export const requestAuthzSchema = z.object({
  decision: z.enum(['allow', 'deny']),
  rule: z.string().min(1).max(512),
  ruleSource: z.string().min(1).max(256).optional(),
  policyVersion: z.string().min(1).max(128).optional(),
});

/** One rate limit's state after the request was counted against it. */
export const requestRateLimitSchema = z.object({
  name: z.enum(['principal', 'route', 'token-budget', 'api-key', 'tenant']),
  max: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  resetSeconds: z.number().int().nonnegative(),
  exceeded: z.boolean(),
  store: z.enum(['memory', 'redis']),
});

/**
 * One guardrail check of the request (a text at a stage): the outcome and
 * each rule's verdict. Rule ids and outcomes only, never the text.
 */
export const requestGuardrailSchema = z.object({
  stage: z.enum([
    'input',
    'output',
    'ingestion',
    'tool-output',
    'retrieved-text',
  ]),
  action: z.enum(['allow', 'block', 'redact']),
  verdicts: z
    .array(
      z.object({
        rule: z.string().min(1).max(128),
        triggered: z.boolean(),
        outcome: z.enum(['blocked', 'redacted', 'flagged']).optional(),
        findings: z.number().int().nonnegative(),
        error: z.boolean().optional(),
      }),
    )
    .max(32),
});

/** `fieldwise.audit.request.v1`: one HTTP request or gRPC call, after it finished. */
export const auditRequestV1Schema = z.object({
  ...common,
  requestId: z.string().min(1).max(128),
  protocol: z.enum(['http', 'grpc']),
  method: z.string().min(1).max(16).optional(),
  route: z.string().min(1).max(256).optional(),
  rpc: z.string().min(1).max(256).optional(),
  status: z.number().int().nonnegative(),
  errorCode: z.string().min(1).max(64).optional(),
  latencyMs: z.number().nonnegative(),
  clientIpHash: sha256HexSchema.optional(),
  userAgent: z.string().max(512).optional(),
  request: payloadDigestSchema.optional(),
  response: payloadDigestSchema.optional(),
  /** Absent when the request ended before authorization (401, 429, 404). */
  authz: requestAuthzSchema.optional(),
  /** Every limit the request was counted against. */
  rateLimits: z.array(requestRateLimitSchema).max(8).optional(),
  /** Every guardrail check of the request, in order. */
  guardrails: z.array(requestGuardrailSchema).max(32).optional(),
  /** Whether this request was picked by payload sampling (digests present when bodies were). */
  payloadSampled: z.boolean().optional(),
});

/** `fieldwise.audit.authz.decision.v1`: a policy decision (route, tool, row, document, audit). */
export const auditAuthzDecisionV1Schema = z.object({
  ...common,
  resourceKind: z.enum([
    'route',
    'tool',
    'record',
    'document',
    'audit',
    'policy',
  ]),
  resource: z.string().min(1).max(512),
  action: z.string().min(1).max(64),
  decision: z.enum(['allow', 'deny']),
  rule: z.string().min(1).max(512).optional(),
  reason: z.string().min(1).max(512).optional(),
  policyVersion: z.string().min(1).max(128).optional(),
});

/** `fieldwise.audit.guardrail.hit.v1`: a guardrail rule matched; findings are counts, never text. */
export const auditGuardrailHitV1Schema = z.object({
  ...common,
  rule: z.string().min(1).max(128),
  category: z.enum([
    'prompt-injection',
    'jailbreak',
    'pii',
    'secret',
    'topic',
    'length',
    'system-prompt-leak',
    'classifier',
  ]),
  stage: z.enum([
    'input',
    'output',
    'ingestion',
    'tool-output',
    'retrieved-text',
  ]),
  mode: z.enum(['block', 'redact', 'flag']),
  route: z.string().min(1).max(256).optional(),
  score: z.number().min(0).max(1).optional(),
  findings: z
    .array(
      z.object({
        kind: z.string().min(1).max(64),
        count: z.number().int().positive(),
      }),
    )
    .max(64),
  payload: payloadDigestSchema,
});

/** `fieldwise.audit.tool.call.v1`: the agent invoked (or was refused) a tool. */
export const auditToolCallV1Schema = z.object({
  ...common,
  conversationId: z.string().min(1).max(128),
  tool: z.string().min(1).max(64),
  writes: z.boolean(),
  status: z.enum(['executed', 'pending_confirmation', 'denied', 'failed']),
  confirmationId: z.string().min(1).max(128).optional(),
  arguments: payloadDigestSchema,
  result: payloadDigestSchema.optional(),
  errorCode: z.string().min(1).max(64).optional(),
  latencyMs: z.number().nonnegative(),
});

/** `fieldwise.audit.data.change.v1`: a business record changed; values appear as digests. */
export const auditDataChangeV1Schema = z.object({
  ...common,
  entity: z.string().min(1).max(64),
  entityId: z.string().min(1).max(128),
  operation: z.enum(['create', 'update', 'delete']),
  changes: z
    .array(
      z.object({
        field: z.string().min(1).max(128),
        beforeSha256: sha256HexSchema.nullable(),
        afterSha256: sha256HexSchema.nullable(),
      }),
    )
    .max(256),
  versionBefore: z.number().int().nonnegative().nullable(),
  versionAfter: z.number().int().nonnegative().nullable(),
  confirmationId: z.string().min(1).max(128).optional(),
  idempotencyKey: z.string().min(1).max(128).optional(),
});

/** `fieldwise.audit.rate.limit.v1`: a request was refused by a limit (names which one). */
export const auditRateLimitV1Schema = z.object({
  ...common,
  route: z.string().min(1).max(256),
  limit: z.enum(['principal', 'route', 'token-budget', 'api-key', 'tenant']),
  max: z.number().int().positive(),
  windowMs: z.number().int().positive(),
  retryAfterSeconds: z.number().int().nonnegative(),
});

/** Payload of `fieldwise.audit.request.v1`. */
export type AuditRequestV1 = z.infer<typeof auditRequestV1Schema>;
/** Payload of `fieldwise.audit.authz.decision.v1`. */
export type AuditAuthzDecisionV1 = z.infer<typeof auditAuthzDecisionV1Schema>;
/** Payload of `fieldwise.audit.guardrail.hit.v1`. */
export type AuditGuardrailHitV1 = z.infer<typeof auditGuardrailHitV1Schema>;
/** Payload of `fieldwise.audit.tool.call.v1`. */
export type AuditToolCallV1 = z.infer<typeof auditToolCallV1Schema>;
/** Payload of `fieldwise.audit.data.change.v1`. */
export type AuditDataChangeV1 = z.infer<typeof auditDataChangeV1Schema>;
/** Payload of `fieldwise.audit.rate.limit.v1`. */
export type AuditRateLimitV1 = z.infer<typeof auditRateLimitV1Schema>;
/** Who acted, as recorded in every audit payload. */
export type AuditActor = z.infer<typeof auditActorSchema>;
/** A redacted payload's digest and size. */
export type PayloadDigest = z.infer<typeof payloadDigestSchema>;
