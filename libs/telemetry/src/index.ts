export { GEN_AI, GEN_AI_COMMON } from './gen-ai-attributes.js';
export {
  recordModelContent,
  recordModelError,
  recordModelUsage,
  startModelSpan,
  type ModelContent,
  type ModelContentPolicy,
  type ModelOperation,
  type ModelSpanOptions,
  type ModelSystem,
  type ModelUsage,
} from './gen-ai.js';
export {
  DEFAULT_REDACT_PATHS,
  REDACT_CENSOR,
  createLogger,
  type CreateLoggerOptions,
} from './logger.js';
export {
  otlpTracesUrl,
  startTelemetry,
  type Telemetry,
  type TelemetryExporterKind,
  type TelemetryOptions,
} from './start-telemetry.js';
export { currentTraceparent, traceIdOf } from './trace-context.js';
export { w3cPropagator } from './tracing-globals.js';
export {
  METRIC_NAMES,
  createServiceMetrics,
  outboxGauges,
  type ConsumerLag,
  type GuardrailHitObservation,
  type HttpRequestObservation,
  type ModelCallObservation,
  type OutboxGauges,
  type OutboxReadings,
  type RpcObservation,
  type ServiceMetrics,
  type ServiceMetricsOptions,
} from './metrics.js';
