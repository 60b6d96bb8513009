export {
  startGrpcServer,
  type DrainOptions,
  type GrpcServerOptions,
  type RunningGrpcServer,
  type ServerStopResult,
} from './grpc-server.js';
export {
  implementService,
  type HandlerFor,
  type ServerStreamHandler,
  type ServiceHandlers,
  type ServiceRegistration,
  type StreamSender,
  type UnaryHandler,
} from './implement-service.js';
export type { CallContext } from './call-context.js';
export {
  DEFAULT_SERVER_DEADLINE_MS,
  MAX_SERVER_DEADLINE_MS,
  type DeadlineOptions,
} from './call-deadline.js';
export {
  createGrpcClient,
  type GrpcClientOptions,
  type GrpcServiceClient,
  type RpcCallOptions,
  type ServerStreamCaller,
  type ServiceCallers,
  type UnaryCaller,
} from './grpc-client.js';
export { routeGrpcLogs } from './grpc-js-logging.js';
export { createClientTracingInterceptor } from './client-tracing-interceptor.js';
export {
  isRetryable,
  nextBackoffMs,
  type RetryOptions,
} from './retry-policy.js';
export {
  codeForStatus,
  fromGrpcError,
  toGrpcStatus,
  toServiceError,
} from './error-mapping.js';
export { GrpcCallError, type GrpcCallErrorOptions } from './grpc-call-error.js';
export {
  decodeStatusDetails,
  encodeStatusDetails,
  FIELDWISE_ERROR_DOMAIN,
  STATUS_DETAILS_KEY,
  type ErrorInfoDetail,
  type FieldViolationDetail,
  type StatusDetails,
} from './status-details.js';
export type {
  AnyServiceDefinition,
  ClientRequestOf,
  ClientResponseOf,
  ServerRequestOf,
  ServerResponseOf,
  ServerStreamMethod,
  UnaryMethod,
} from './service-types.js';
export { createIdentityService } from './identity-service.js';
export {
  devPrincipalKeyPath,
  READINESS_CHECK_TIMEOUT_MS,
  resolvePrincipalKey,
  runGrpcService,
  type RunningService,
  type RunServiceOptions,
  type ServiceRuntime,
  type ServiceRuntimeConfig,
} from './run-service.js';
export {
  evaluateReadiness,
  startOpsServer,
  type OpsPhase,
  type OpsServer,
  type OpsServerOptions,
  type ReadinessCheck,
  type ReadinessReport,
} from './ops-server.js';
export { openWithRetry, type OpenWithRetryOptions } from './open-with-retry.js';
