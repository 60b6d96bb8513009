import { ERROR_CATALOGUE, type ErrorCode } from './catalogue.js';
import type { GrpcStatusCode } from './grpc-status.js';

/** Extra, non-secret facts about an error; travels as ErrorInfo metadata. */
export type ErrorContext = Readonly<Record<string, string | number | boolean>>;

/** A single invalid field, as reported in `VALIDATION_FAILED` errors. */
export interface FieldViolation {
  readonly field: string;
  readonly message: string;
}

export interface FieldwiseErrorOptions {
  readonly context?: ErrorContext;
  readonly violations?: readonly FieldViolation[];
  readonly cause?: unknown;
  /** Seconds a client should wait before retrying (rate limits, outages). */
  readonly retryAfterSeconds?: number;
}

/**
 * The base of every error Fieldwise throws on purpose. `code` is stable and
 * documented in the catalogue; `status` is the gRPC status it maps to; the
 * message is safe to show a caller (never include secrets or payloads).
 */
export class FieldwiseError extends Error {
  override readonly name: string;
  readonly code: ErrorCode;
  readonly status: GrpcStatusCode;
  readonly context: ErrorContext;
  readonly violations: readonly FieldViolation[];
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options: FieldwiseErrorOptions = {},
  ) {
    super(message ?? ERROR_CATALOGUE[code].title, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.context = Object.freeze({ ...options.context });
    this.violations = Object.freeze([...(options.violations ?? [])]);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A request failed validation; `violations` names each field. */
export class ValidationError extends FieldwiseError {
  constructor(violations: readonly FieldViolation[], message?: string) {
    super('VALIDATION_FAILED', message ?? describeViolations(violations), {
      violations,
    });
  }
}

/** A record is absent or invisible to the caller: the two are indistinguishable on purpose. */
export class NotFoundError extends FieldwiseError {
  constructor(resource: string, id: string) {
    super('NOT_FOUND', `${resource} '${id}' was not found`, {
      context: { resource, id },
    });
  }
}

/** The caller is authenticated but may not do this. */
export class PermissionDeniedError extends FieldwiseError {
  constructor(message: string, context?: ErrorContext) {
    super('PERMISSION_DENIED', message, context ? { context } : {});
  }
}

/** Credentials or the principal token are missing, invalid or expired. */
export class AuthenticationError extends FieldwiseError {}

/** A dependency (database, broker, service) is unreachable. */
export class DependencyUnavailableError extends FieldwiseError {
  constructor(dependency: string, cause?: unknown, retryAfterSeconds = 5) {
    super('DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable`, {
      context: { dependency },
      cause,
      retryAfterSeconds,
    });
  }
}

function describeViolations(violations: readonly FieldViolation[]): string {
  if (violations.length === 0) return 'Invalid request';
  return violations
    .map((v) => `${v.field || '(root)'}: ${v.message}`)
    .join('; ');
}

/** Wraps anything thrown into a FieldwiseError, keeping known ones as they are. */
export function toFieldwiseError(error: unknown): FieldwiseError {
  if (error instanceof FieldwiseError) return error;
  return new FieldwiseError('INTERNAL', undefined, { cause: error });
}
