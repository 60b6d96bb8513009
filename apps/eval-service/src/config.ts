import { z } from 'zod';
import { llmEnv } from '@fieldwise/llm';
import {
  baseServiceEnv,
  csv,
  duration,
  int,
  loadConfig,
  optionalSecret,
  optionalText,
  port,
  text,
} from '@fieldwise/config';

const POSTGRES_URL = /^postgres(ql)?:\/\//;
const GRPC_ADDRESS = /^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/;

/**
 * The LLM-as-a-judge variables: the model endpoint (`OPENAI_*` or
 * `AZURE_OPENAI_*`, as for the agent) and how the judge samples. Shared by
 * the service and the eval CLI.
 */
export const evalJudgeEnv = {
  ...llmEnv,
  EVAL_JUDGE_REPEATS: int(1, 10, 3).describe(
    'Verdicts per rubric criterion and case when a run asks for the LLM judge; several expose flaky verdicts.',
  ),
  EVAL_JUDGE_TEMPERATURE: z.coerce
    .number()
    .min(0)
    .max(2)
    .default(0.7)
    .describe(
      'Sampling temperature of the judge (0 to 2). Above 0 so repeated verdicts show whether the rubric pins the score down.',
    ),
  EVAL_JUDGE_PASS_SCORE: int(1, 5, 4).describe(
    'Mean judge score (1 to 5) at or above which a case passes a judge criterion.',
  ),
} as const;

/** Parses only the judge variables (the eval CLI's use). */
export function loadJudgeConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(z.object(evalJudgeEnv), env);
}

/** Every environment variable the eval service reads. */
export const evalEnvSchema = z.object({
  ...baseServiceEnv,
  ...evalJudgeEnv,
  GRPC_PORT: port(50054).describe('gRPC port of the eval service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
  METRICS_PORT: port(9464).describe(
    'HTTP port of GET /metrics (Prometheus), /healthz and /readyz of the eval service (0: any free port). A port that cannot be bound disables them with a warning.',
  ),
  DATABASE_URL: optionalSecret()
    .refine((value) => value === undefined || POSTGRES_URL.test(value), {
      message: 'must be a postgres:// or postgresql:// URL',
    })
    .describe(
      'PostgreSQL connection string (postgres://user:pass@host:5432/db) for datasets, runs, results and candidate cases. Unset: an embedded SQLite file (eval.sqlite) under FIELDWISE_DATA_DIR/eval.',
    ),
  KAFKA_BROKERS: csv().describe(
    'Comma-separated Kafka bootstrap brokers (host:port). Set: feedback events are consumed from fieldwise.feedback.v1 (poison messages to fieldwise.feedback.v1.dlq) and the impersonation audit events are relayed from the local outbox to Kafka. Unset: no feedback intake; audit events stay in the outbox under FIELDWISE_DATA_DIR, readable by the audit CLI.',
  ),
  EVAL_FEEDBACK_GROUP: text('eval-service-feedback').describe(
    'Kafka consumer group of the feedback intake; replicas share it so each feedback event is handled once.',
  ),
  AGENT_SERVICE_ADDR: optionalText()
    .refine((value) => value === undefined || GRPC_ADDRESS.test(value), {
      message: 'must be host:port',
    })
    .describe(
      'host:port of the agent service that runs are executed against. Unset: StartRun and ResumeRun fail with FAILED_PRECONDITION (datasets, results and reports still work).',
    ),
  CRM_SERVICE_ADDR: optionalText()
    .refine((value) => value === undefined || GRPC_ADDRESS.test(value), {
      message: 'must be host:port',
    })
    .describe(
      "host:port of the crm service, used to resolve each case user's territories (a manager's are the team's) before impersonating them. Unset: impersonated principals carry no territories, so territory-scoped answers come back empty.",
    ),
  RETRIEVAL_SERVICE_ADDR: optionalText()
    .refine((value) => value === undefined || GRPC_ADDRESS.test(value), {
      message: 'must be host:port',
    })
    .describe(
      "host:port of the retrieval service, used to rebuild the chunks each evaluated turn retrieved (its search_collateral calls replayed as the case user), so citation validity checks each citation against that turn's own retrieval and groundedness against its passages. Unset: no chunk counts as retrieved and every citation is not_retrieved.",
    ),
  EVAL_CONCURRENCY: int(1, 8, 2).describe(
    'Cases evaluated in parallel in a run when StartRun asks for 0 (the default).',
  ),
  EVAL_AGENT_DEADLINE: duration('120s', { min: '1s', max: '5m' }).describe(
    'Deadline of one agent Chat call (one user turn) during a run.',
  ),
});

/** The eval service's validated, frozen configuration. */
export type EvalConfig = ReturnType<typeof loadEvalConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadEvalConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(evalEnvSchema, env);
}
