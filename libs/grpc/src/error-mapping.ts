import { Metadata, type StatusObject } from '@grpc/grpc-js';
import {
  ERROR_CATALOGUE,
  FieldwiseError,
  GrpcStatus,
  isErrorCode,
  toFieldwiseError,
  type ErrorCode,
  type ErrorContext,
} from '@fieldwise/errors';
import { GrpcCallError } from './grpc-call-error.js';
import {
  decodeStatusDetails,
  encodeStatusDetails,
  FIELDWISE_ERROR_DOMAIN,
  STATUS_DETAILS_KEY,
  type StatusDetails,
} from './status-details.js';

/** Statuses whose message and context could expose internals: replaced by a generic text. */
const OPAQUE_STATUSES: ReadonlySet<number> = new Set([
  GrpcStatus.UNKNOWN,
  GrpcStatus.INTERNAL,
  GrpcStatus.DATA_LOSS,
]);

/**
 * Turns anything thrown by a handler into the status a client receives:
 * the error's gRPC status, its safe message, and `grpc-status-details-bin`
 * with `ErrorInfo{reason: code, domain: 'fieldwise', metadata: context}`,
 * `BadRequest` for field violations and `RetryInfo` for `retryAfterSeconds`.
 * Errors that are not `FieldwiseError`s, and INTERNAL-like ones, become
 * INTERNAL with the catalogue's generic message and no context.
 */
export function toGrpcStatus(error: unknown): StatusObject {
  const fieldwise = toFieldwiseError(error);
  const opaque = OPAQUE_STATUSES.has(fieldwise.status);
  const code = opaque ? GrpcStatus.INTERNAL : fieldwise.status;
  const message = opaque ? ERROR_CATALOGUE.INTERNAL.title : fieldwise.message;
  const details: StatusDetails = {
    code,
    message,
    errorInfo: {
      reason:
        opaque && fieldwise.code !== 'INTERNAL' ? 'INTERNAL' : fieldwise.code,
      domain: FIELDWISE_ERROR_DOMAIN,
      metadata: opaque ? {} : stringifyContext(fieldwise.context),
    },
    ...(fieldwise.violations.length > 0
      ? {
          fieldViolations: fieldwise.violations.map((v) => ({
            field: v.field,
            description: v.message,
          })),
        }
      : {}),
    ...(fieldwise.retryAfterSeconds !== undefined
      ? { retryDelaySeconds: fieldwise.retryAfterSeconds }
      : {}),
  };
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(encodeStatusDetails(details)));
  return { code, details: message, metadata };
}

/**
 * The `ServiceError` shape grpc-js handlers pass to their callback or emit on
 * a stream; see {@link toGrpcStatus}.
 */
export function toServiceError(
  error: unknown,
): Error & { code: number; details: string; metadata: Metadata } {
  const status = toGrpcStatus(error);
  return Object.assign(new Error(status.details), status);
}

/**
 * Decodes a failed call into a {@link GrpcCallError}: code, message,
 * context (ErrorInfo metadata, as strings), violations (BadRequest) and
 * `retryAfterSeconds` (RetryInfo). A `FieldwiseError` is returned as it is;
 * anything that is not a gRPC error becomes INTERNAL.
 */
export function fromGrpcError(error: unknown, method?: string): FieldwiseError {
  if (error instanceof FieldwiseError) return error;
  if (!isStatusLike(error)) return toFieldwiseError(error);
  const details = readDetails(error.metadata);
  const reason = details?.errorInfo?.reason;
  const code: ErrorCode =
    details?.errorInfo?.domain === FIELDWISE_ERROR_DOMAIN &&
    reason !== undefined &&
    isErrorCode(reason)
      ? reason
      : codeForStatus(error.code);
  const message =
    typeof error.details === 'string' && error.details !== ''
      ? error.details
      : ERROR_CATALOGUE[code].title;
  return new GrpcCallError(code, message, {
    grpcStatus: error.code,
    cause: error,
    ...(method !== undefined ? { method } : {}),
    context: details?.errorInfo?.metadata ?? {},
    violations: (details?.fieldViolations ?? []).map((v) => ({
      field: v.field,
      message: v.description,
    })),
    ...(details?.retryDelaySeconds !== undefined
      ? { retryAfterSeconds: details.retryDelaySeconds }
      : {}),
  });
}

/** The catalogue code for a status that arrived without a Fieldwise reason. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case GrpcStatus.CANCELLED:
      return 'CANCELLED';
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
      return 'VALIDATION_FAILED';
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 'DEADLINE_EXCEEDED';
    case GrpcStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case GrpcStatus.ALREADY_EXISTS:
      return 'ALREADY_EXISTS';
    case GrpcStatus.PERMISSION_DENIED:
      return 'PERMISSION_DENIED';
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 'RATE_LIMITED';
    case GrpcStatus.ABORTED:
      return 'CONFLICT';
    case GrpcStatus.UNIMPLEMENTED:
      return 'UNIMPLEMENTED';
    case GrpcStatus.UNAVAILABLE:
      return 'DEPENDENCY_UNAVAILABLE';
    case GrpcStatus.UNAUTHENTICATED:
      return 'PRINCIPAL_INVALID';
    default:
      return 'INTERNAL';
  }
}

interface StatusLike {
  code: number;
  details?: unknown;
  metadata?: unknown;
}

function isStatusLike(error: unknown): error is StatusLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'number'
  );
}

function readDetails(metadata: unknown): StatusDetails | undefined {
  if (!(metadata instanceof Metadata)) return undefined;
  const [raw] = metadata.get(STATUS_DETAILS_KEY);
  if (!(raw instanceof Uint8Array)) return undefined;
  try {
    return decodeStatusDetails(raw);
  } catch {
    // Malformed details from a foreign server: the status code still stands.
    return undefined;
  }
}

function stringifyContext(context: ErrorContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(context).map(([key, value]) => [key, String(value)]),
  );
}
