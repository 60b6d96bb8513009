import { z } from 'zod';
import {
  baseServiceEnv,
  csv,
  duration,
  host,
  int,
  loadConfigWithWarnings,
  oneOf,
  optionalText,
  optionalSecret,
  optionalUrl,
  port,
  text,
  type LoadedConfig,
} from '@fieldwise/config';

/** Every environment variable the gateway reads. */
export const gatewayEnvSchema = z.object({
  ...baseServiceEnv,
  HOST: host('127.0.0.1').describe(
    'Interface the HTTP server binds to (0.0.0.0 in containers).',
  ),
  PORT: port(8080).describe('HTTP port of the public REST gateway.'),
  PUBLIC_URL: optionalUrl({ protocols: ['http:', 'https:'] }).describe(
    'Public base URL advertised in the OpenAPI document.',
  ),
  BODY_LIMIT_BYTES: int(1, 50 * 1024 * 1024, 1024 * 1024).describe(
    'Largest accepted request body in bytes; larger bodies get 413 problem+json.',
  ),
  DOCUMENT_MAX_BYTES: int(1, 50 * 1024 * 1024, 5 * 1024 * 1024).describe(
    'Largest document POST /v1/documents accepts, in bytes after base64 decoding (its body may be a third larger than BODY_LIMIT_BYTES); larger ones get 413 problem+json.',
  ),
  AUTH_JWT_SECRET: optionalSecret({ base64: true, minBytes: 32 }).describe(
    'Base64 HS256 secret for bearer tokens. Unset and no JWKS URL: a dev secret is generated once in the data dir.',
  ),
  AUTH_JWKS_URL: optionalUrl({ protocols: ['https:', 'http:'] }).describe(
    'JWKS URL of the OIDC issuer (RS256/ES256 tokens). When set, AUTH_ISSUER and AUTH_AUDIENCE must name that issuer.',
  ),
  AUTH_ISSUER: text('fieldwise-dev').describe(
    'Required `iss` of bearer tokens.',
  ),
  AUTH_AUDIENCE: text('fieldwise-api').describe(
    'Required `aud` of bearer tokens.',
  ),
  AUTH_CLOCK_TOLERANCE: duration('30s', { max: '5m' }).describe(
    'Accepted clock skew when checking token expiry (at most 5m).',
  ),
  AGENT_SERVICE_ADDR: text('127.0.0.1:50051').describe(
    'host:port of the agent service.',
  ),
  CRM_SERVICE_ADDR: text('127.0.0.1:50052').describe(
    'host:port of the CRM service.',
  ),
  RETRIEVAL_SERVICE_ADDR: text('127.0.0.1:50053').describe(
    'host:port of the retrieval service.',
  ),
  EVAL_SERVICE_ADDR: text('127.0.0.1:50054').describe(
    'host:port of the evaluation service.',
  ),
  GRPC_DEADLINE: duration('10s', { min: '100ms', max: '5m' }).describe(
    'Default deadline of gateway → service calls.',
  ),
  CHAT_DEADLINE: duration('2m', { min: '1s', max: '5m' }).describe(
    'Deadline of one chat turn through the agent (model and tool calls included).',
  ),
  AUTHZ_POLICY_PATH: optionalText().describe(
    'Casbin policy CSV the gateway enforces and PUT /v1/policy rewrites (reloaded on change). Unset: the shipped policy is copied once to {FIELDWISE_DATA_DIR}/gateway/policy.csv and used from there.',
  ),
  AUTHZ_POLICY_CHANNEL: text('fieldwise.policy.v1').describe(
    'Redis pub/sub channel on which replicas tell each other to reload the policy (used when REDIS_URL is set).',
  ),
  REDIS_URL: optionalUrl({ protocols: ['redis:', 'rediss:'] }).describe(
    'Redis for rate-limit counters, token budgets and policy reload notices shared by replicas. Unset: counters are in process.',
  ),
  RATE_LIMIT_REDIS_FAILURE: oneOf(['open', 'closed'], 'open').describe(
    'When Redis is unreachable: `open` counts in process (limits hold per replica) and logs a warning; `closed` answers 503 with Retry-After.',
  ),
  RATE_LIMIT_WINDOW: duration('1m', { min: '1s', max: '1h' }).describe(
    'Window of the request rate limits.',
  ),
  RATE_LIMIT_PRINCIPAL_MAX: int(1, 1_000_000, 600).describe(
    'Requests one principal may make per window, all routes together.',
  ),
  RATE_LIMIT_ROUTE_MAX: int(1, 1_000_000, 120).describe(
    'Requests one principal may make per window to one route.',
  ),
  CHAT_TOKEN_BUDGET_PER_MINUTE: int(1, 100_000_000, 40_000).describe(
    'Model tokens (prompt + completion) one user may spend per minute through POST /v1/chat.',
  ),
  GUARDRAILS_CONFIG_PATH: optionalText().describe(
    'JSON guardrail configuration (rules per stage and per route, modes block/redact/flag). Unset: apps/gateway/guardrails.json.',
  ),
  GUARDRAILS_CANARY: optionalText().describe(
    "Canary token placed in the system prompt; an answer containing it is blocked as a system-prompt leak. Use the agent service's value.",
  ),
  AUDIT_PAYLOAD_SAMPLE_RATE: int(0, 100, 100).describe(
    'Percent of requests whose redacted, size-capped request and response payload digests are written to the audit event (0 to 100).',
  ),
  AUDIT_PAYLOAD_MAX_BYTES: int(256, 1024 * 1024, 16 * 1024).describe(
    'Payloads are redacted, then cut to this many bytes before their digest is taken.',
  ),
  AUDIT_OUTBOX_SYNC: oneOf(['FULL', 'NORMAL'], 'NORMAL').describe(
    'SQLite durability of the audit outbox: FULL survives power loss, NORMAL survives a process crash and is faster.',
  ),
  AUDIT_FLUSH_INTERVAL: duration('10ms', { max: '1s' }).describe(
    "Longest an audit event recorded outside a request/response cycle waits before its outbox commit (0ms: the same event-loop turn). A request's own events are always committed before its response is sent, in one transaction with those of requests answered at the same time.",
  ),
  KAFKA_BROKERS: csv().describe(
    'Comma-separated Kafka brokers. Set: audit events are relayed from the outbox to Kafka. Unset: they stay in the local outbox.',
  ),
  DATABASE_URL: optionalSecret()
    .refine(
      (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
      { message: 'must be a postgres:// or postgresql:// URL' },
    )
    .describe(
      'PostgreSQL connection string for service-account API keys (shared by replicas). Unset: an embedded SQLite file (gateway/api-keys.sqlite) under FIELDWISE_DATA_DIR.',
    ),
  API_KEY_CACHE_TTL: duration('5s', { max: '5m' }).describe(
    'How long a looked-up API key is reused before the store is asked again: the longest a revocation takes to reach this replica (0s: every request asks).',
  ),
  SHUTDOWN_GRACE: duration('20s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight requests before closing.',
  ),
});

export type GatewayConfig = LoadedConfig<
  z.output<typeof gatewayEnvSchema>
>['config'];

/** Parses the gateway's environment once; throws CONFIG_INVALID naming every problem. */
export function loadGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  return loadConfigWithWarnings(gatewayEnvSchema, env).config;
}
