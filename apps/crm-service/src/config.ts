import { z } from 'zod';
import {
  baseServiceEnv,
  bool,
  csv,
  duration,
  loadConfig,
  optionalSecret,
  port,
  text,
} from '@fieldwise/config';

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every environment variable the crm service reads. */
export const crmEnvSchema = z.object({
  ...baseServiceEnv,
  GRPC_PORT: port(50052).describe('gRPC port of the crm service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
  METRICS_PORT: port(9462).describe(
    'HTTP port of GET /metrics (Prometheus), /healthz and /readyz of the crm service (0: any free port). A port that cannot be bound disables them with a warning.',
  ),
  // A connection string carries a password: secret, so it never appears in
  // errors or generated docs.
  DATABASE_URL: optionalSecret()
    .refine((value) => value === undefined || POSTGRES_URL.test(value), {
      message: 'must be a postgres:// or postgresql:// URL',
    })
    .describe(
      'PostgreSQL connection string (postgres://user:pass@host:5432/db) for the GOLD CRM store. Unset: an embedded SQLite file (crm.sqlite) under FIELDWISE_DATA_DIR.',
    ),
  CRM_SEED: bool(true).describe(
    'Seed the deterministic GOLD demo dataset (two tenants, ~2,000 accounts) at start when the store holds none of its tenants. Set false for a store filled by imports only.',
  ),
  CRM_REFERENCE_DATE: text('2026-11-25')
    .refine(
      (value) =>
        value === 'today' ||
        (ISO_DATE.test(value) &&
          !Number.isNaN(Date.parse(value)) &&
          new Date(value).toISOString().startsWith(value)),
      { message: 'must be a date YYYY-MM-DD or the word today' },
    )
    .describe(
      'The dataset\'s "today" (YYYY-MM-DD): horizons, overdue close dates and the last complete consumption month count from it, and the seed generator uses it. Writes are stamped with this date and the wall-clock time of day. `today` uses the real date (for imported, live data).',
    ),
  KAFKA_BROKERS: csv().describe(
    'Comma-separated Kafka bootstrap brokers (host:port). Set: audit events are relayed from the local outbox to Kafka. Unset: they stay in the outbox under FIELDWISE_DATA_DIR, readable by the audit CLI.',
  ),
});

/** The crm service's validated, frozen configuration. */
export type CrmConfig = ReturnType<typeof loadCrmConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadCrmConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(crmEnvSchema, env);
}
