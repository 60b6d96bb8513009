import { GrpcStatus, type GrpcStatusCode } from './grpc-status.js';

/** One entry of the error catalogue: the status it carries and what it means. */
export interface ErrorDefinition {
  readonly status: GrpcStatusCode;
  readonly title: string;
  readonly description: string;
}

/**
 * Every stable error code in Fieldwise. Codes never change meaning once
 * published: clients branch on them. Add new codes; do not repurpose old ones.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: {
    status: GrpcStatus.INVALID_ARGUMENT,
    title: 'Invalid request',
    description:
      'The request did not match its schema; `errors` names each field.',
  },
  CONFIG_INVALID: {
    status: GrpcStatus.FAILED_PRECONDITION,
    title: 'Invalid configuration',
    description:
      'A service refused to start because its configuration is invalid.',
  },
  AUTH_MISSING: {
    status: GrpcStatus.UNAUTHENTICATED,
    title: 'Authentication required',
    description: 'The request carried no credentials.',
  },
  AUTH_INVALID: {
    status: GrpcStatus.UNAUTHENTICATED,
    title: 'Invalid credentials',
    description:
      'The credentials were malformed, signed by an unknown key, or for another audience.',
  },
  AUTH_EXPIRED: {
    status: GrpcStatus.UNAUTHENTICATED,
    title: 'Credentials expired',
    description: 'The token or principal assertion is past its expiry.',
  },
  AUTH_REVOKED: {
    status: GrpcStatus.UNAUTHENTICATED,
    title: 'Credentials revoked',
    description: 'The API key was revoked; it never works again.',
  },
  PRINCIPAL_MISSING: {
    status: GrpcStatus.UNAUTHENTICATED,
    title: 'Principal missing',
    description:
      'A service call arrived without the gateway-signed principal token.',
  },
  PRINCIPAL_INVALID: {
    status: GrpcStatus.UNAUTHENTICATED,
    title: 'Principal invalid',
    description:
      'The principal token was malformed or not signed by the gateway key.',
  },
  PRINCIPAL_EXPIRED: {
    status: GrpcStatus.UNAUTHENTICATED,
    title: 'Principal expired',
    description: 'The principal token is past its short lifetime.',
  },
  PERMISSION_DENIED: {
    status: GrpcStatus.PERMISSION_DENIED,
    title: 'Permission denied',
    description: 'The principal is authenticated but not allowed to do this.',
  },
  NOT_FOUND: {
    status: GrpcStatus.NOT_FOUND,
    title: 'Not found',
    description: 'The resource does not exist or is not visible to the caller.',
  },
  ROUTE_NOT_FOUND: {
    status: GrpcStatus.NOT_FOUND,
    title: 'Route not found',
    description: 'No route matches this method and path.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: GrpcStatus.INVALID_ARGUMENT,
    title: 'Unsupported media type',
    description:
      'The request body has a content type this route does not accept.',
  },
  PAYLOAD_TOO_LARGE: {
    status: GrpcStatus.INVALID_ARGUMENT,
    title: 'Payload too large',
    description: 'The request body exceeds the configured limit.',
  },
  MALFORMED_BODY: {
    status: GrpcStatus.INVALID_ARGUMENT,
    title: 'Malformed body',
    description: 'The request body could not be parsed.',
  },
  PRECONDITION_FAILED: {
    status: GrpcStatus.FAILED_PRECONDITION,
    title: 'Precondition failed',
    description:
      'The resource is not in a state that allows this operation (e.g. resuming a finished run).',
  },
  CONFLICT: {
    status: GrpcStatus.ABORTED,
    title: 'Conflict',
    description:
      'The record changed since it was read (optimistic concurrency).',
  },
  ALREADY_EXISTS: {
    status: GrpcStatus.ALREADY_EXISTS,
    title: 'Already exists',
    description: 'A resource with this identity already exists.',
  },
  GUARDRAIL_BLOCKED: {
    status: GrpcStatus.FAILED_PRECONDITION,
    title: 'Blocked by a guardrail',
    description:
      'A guardrail rule in block mode matched the request or the answer; the problem names the rule, never the text.',
  },
  RATE_LIMITED: {
    status: GrpcStatus.RESOURCE_EXHAUSTED,
    title: 'Rate limit reached',
    description:
      'A rate limit or budget was reached; `Retry-After` says when to retry.',
  },
  DEADLINE_EXCEEDED: {
    status: GrpcStatus.DEADLINE_EXCEEDED,
    title: 'Deadline exceeded',
    description: 'The call did not finish before its deadline.',
  },
  DEPENDENCY_UNAVAILABLE: {
    status: GrpcStatus.UNAVAILABLE,
    title: 'Dependency unavailable',
    description: 'A service or store this call needs is down; retry later.',
  },
  SHUTTING_DOWN: {
    status: GrpcStatus.UNAVAILABLE,
    title: 'Shutting down',
    description: 'The instance is draining; retry on another replica.',
  },
  UNIMPLEMENTED: {
    status: GrpcStatus.UNIMPLEMENTED,
    title: 'Not implemented',
    description: 'This operation is not implemented by this service.',
  },
  CANCELLED: {
    status: GrpcStatus.CANCELLED,
    title: 'Cancelled',
    description: 'The caller cancelled the call.',
  },
  ACTION_EXPIRED: {
    status: GrpcStatus.FAILED_PRECONDITION,
    title: 'Action expired',
    description:
      'A pending write action was not confirmed before it expired; ask again.',
  },
  ACTION_ALREADY_DECIDED: {
    status: GrpcStatus.FAILED_PRECONDITION,
    title: 'Action already decided',
    description:
      'The pending write action was already confirmed or rejected; it runs at most once.',
  },
  INTERNAL: {
    status: GrpcStatus.INTERNAL,
    title: 'Internal error',
    description:
      'An unexpected error; details are in the server logs under the trace id.',
  },
} as const satisfies Record<string, ErrorDefinition>;

/** A stable, machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** True when `code` is a code of the catalogue. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}
