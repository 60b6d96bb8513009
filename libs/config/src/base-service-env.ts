import {
  dataDir,
  host,
  logLevel,
  optionalSecret,
  optionalText,
  optionalUrl,
} from './env-fields.js';
import { telemetrySetting } from './env-metadata.js';

/**
 * The variables every Fieldwise service reads. Spread it into a service's
 * schema: `z.object({ ...baseServiceEnv, PORT: port(8080) })`.
 *
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is the only setting that may be wrong without
 * stopping the service: a malformed value turns trace export off and comes
 * back as a config warning.
 */
export const baseServiceEnv = {
  FIELDWISE_DATA_DIR: dataDir().describe(
    'Directory for local state (SQLite files, outbox, vector index, generated dev keys); relative paths resolve against the working directory.',
  ),
  LOG_LEVEL: logLevel('info').describe(
    'pino log level: fatal, error, warn, info, debug, trace or silent.',
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: telemetrySetting(
    optionalUrl({ protocols: ['http:', 'https:'] }),
    'trace export is disabled',
  ).describe(
    'OTLP/HTTP collector base URL (e.g. http://otel-collector:4318); traces go to {url}/v1/traces. Unset: no export. An invalid value disables export with a warning.',
  ),
  OTEL_SERVICE_NAME: optionalText().describe(
    "Service name on traces and logs; defaults to the service's own name.",
  ),
  FIELDWISE_PRINCIPAL_KEY: optionalSecret({
    base64: true,
    minBytes: 32,
  }).describe(
    'Base64 key (at least 32 bytes) that signs and verifies principal tokens between the gateway and services. Unset: a dev key is generated once in the data dir.',
  ),
  FIELDWISE_GRPC_HOST: host('127.0.0.1').describe(
    'Host the gRPC server binds to (0.0.0.0 in containers).',
  ),
} as const;
