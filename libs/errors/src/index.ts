export {
  ERROR_CATALOGUE,
  isErrorCode,
  type ErrorCode,
  type ErrorDefinition,
} from './catalogue.js';
export {
  FieldwiseError,
  ValidationError,
  NotFoundError,
  PermissionDeniedError,
  AuthenticationError,
  DependencyUnavailableError,
  toFieldwiseError,
  type ErrorContext,
  type FieldViolation,
  type FieldwiseErrorOptions,
} from './fieldwise-error.js';
export {
  GrpcStatus,
  httpStatusForGrpc,
  type GrpcStatusCode,
} from './grpc-status.js';
