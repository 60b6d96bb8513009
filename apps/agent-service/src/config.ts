import { z } from 'zod';
import {
  baseServiceEnv,
  csv,
  duration,
  int,
  loadConfig,
  oneOf,
  optionalSecret,
  port,
  text,
} from '@fieldwise/config';
import { llmEnv } from '@fieldwise/llm';

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
const GRPC_ADDRESS = /^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/;

const address = (defaultAddress: string, what: string) =>
  text(defaultAddress)
    .refine((value) => GRPC_ADDRESS.test(value), {
      message: 'must be host:port',
    })
    .describe(`host:port of the ${what} gRPC service.`);

/** Every environment variable the agent service reads. */
export const agentEnvSchema = z.object({
  ...baseServiceEnv,
  ...llmEnv,
  GRPC_PORT: port(50051).describe('gRPC port of the agent service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
  METRICS_PORT: port(9461).describe(
    'HTTP port of GET /metrics (Prometheus), /healthz and /readyz of the agent service (0: any free port). A port that cannot be bound disables them with a warning.',
  ),
  CRM_SERVICE_ADDR: address('127.0.0.1:50052', 'crm'),
  RETRIEVAL_SERVICE_ADDR: address('127.0.0.1:50053', 'retrieval'),
  // A connection string carries a password: secret, so it never appears in errors or docs.
  DATABASE_URL: optionalSecret()
    .refine((value) => value === undefined || POSTGRES_URL.test(value), {
      message: 'must be a postgres:// or postgresql:// URL',
    })
    .describe(
      'PostgreSQL connection string for conversations and pending actions. Unset: an embedded SQLite file (conversations.sqlite) under FIELDWISE_DATA_DIR.',
    ),
  AGENT_MAX_TOOL_CALLS: int(1, 50, 8).describe(
    'Tool calls allowed in one turn; calls past it get a RATE_LIMITED result.',
  ),
  AGENT_MAX_MODEL_CALLS: int(1, 20, 6).describe(
    'Model calls allowed in one turn; the last one may not call tools.',
  ),
  AGENT_TOOL_TIMEOUT: duration('15s', { min: '100ms', max: '2m' }).describe(
    'Deadline of one tool call (a downstream call included).',
  ),
  AGENT_ACTION_TTL: duration('10m', { min: '10s', max: '24h' }).describe(
    'How long a pending write action may be confirmed.',
  ),
  AGENT_CONTEXT_BUDGET_TOKENS: int(200, 1_000_000, 6000).describe(
    'Estimated tokens of past messages above which older turns are summarized.',
  ),
  AGENT_KEEP_RECENT_MESSAGES: int(2, 200, 8).describe(
    'Messages always sent verbatim, however long the history.',
  ),
  AUDIT_OUTBOX_SYNC: oneOf(['FULL', 'NORMAL'], 'NORMAL').describe(
    'SQLite durability of the audit and feedback outbox (agent-outbox.sqlite): FULL survives power loss but costs an fsync (milliseconds, blocking the event loop) per tool call; NORMAL survives a process crash and is faster.',
  ),
  KAFKA_BROKERS: csv().describe(
    'Comma-separated Kafka bootstrap brokers (host:port). Set: audit and feedback events are relayed from the local outbox to Kafka. Unset: they stay in the outbox (agent-outbox.sqlite) under FIELDWISE_DATA_DIR, readable by the audit CLI.',
  ),
});

/** The agent service's validated, frozen configuration. */
export type AgentConfig = ReturnType<typeof loadAgentConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(agentEnvSchema, env);
}
