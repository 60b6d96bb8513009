import { FieldwiseError, type ErrorContext } from '@fieldwise/errors';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import type { ChatModelProvider } from './chat-model.js';
import { isRetryableStatus, retryAfterMs } from './retry-policy.js';

/** Why a call stopped on our side, if it did. */
export interface CallStopState {
  /** The caller's signal fired. */
  readonly cancelled: boolean;
  /** The call's own deadline passed. */
  readonly timedOut: boolean;
  readonly timeoutMs: number;
}

/** Seconds to suggest after a 429 that named no wait. */
const DEFAULT_RATE_LIMIT_RETRY_SECONDS = 5;

/** Provider error codes look like `context_length_exceeded`; anything else is dropped. */
const SAFE_PROVIDER_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Whether a failed attempt may be repeated: an HTTP status worth retrying, a
 * lost or refused connection, or an error event inside the stream. Never an
 * abort of ours or the caller's.
 */
export function isRetryableProviderError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionTimeoutError) return false;
  if (error instanceof APIConnectionError) return true;
  const http = httpErrorOf(error);
  if (http === undefined) return false;
  return http.status === undefined || isRetryableStatus(http.status);
}

/** An SDK error carrying an HTTP answer (or an error event of a stream). */
export type ProviderHttpError = APIError<
  number | undefined,
  Headers | undefined,
  object | undefined
>;

/**
 * The error as an HTTP error of the SDK, typed: `instanceof` on the generic
 * class gives `any` parameters. Aborts and connection failures are not.
 */
export function httpErrorOf(error: unknown): ProviderHttpError | undefined {
  if (!(error instanceof APIError)) return undefined;
  if (
    error instanceof APIUserAbortError ||
    error instanceof APIConnectionError
  ) {
    return undefined;
  }
  return error as ProviderHttpError;
}

/**
 * Maps whatever a provider call threw to a typed `FieldwiseError`:
 * `CANCELLED` (caller's signal), `DEADLINE_EXCEEDED` (timeout),
 * `RATE_LIMITED` (429, with the server's wait), `VALIDATION_FAILED` (400,
 * 413, 422: the request was refused), `DEPENDENCY_UNAVAILABLE` (5xx,
 * connection failures, refused credentials, unknown model, unreadable
 * responses). Provider response bodies are never copied into the message or
 * kept as the cause: they may quote the prompt. Only the status, the
 * provider's request id and its short error code are kept, as context.
 */
export function mapProviderError(
  error: unknown,
  provider: ChatModelProvider,
  stop: CallStopState,
): FieldwiseError {
  if (error instanceof FieldwiseError) return error;
  const context: Record<string, string | number | boolean> = {
    dependency: 'model',
    provider,
  };
  if (stop.cancelled) {
    return new FieldwiseError('CANCELLED', 'The model call was cancelled', {
      context,
    });
  }
  if (stop.timedOut || error instanceof APIConnectionTimeoutError) {
    return new FieldwiseError(
      'DEADLINE_EXCEEDED',
      `The model did not answer within ${stop.timeoutMs} ms`,
      { context: { ...context, timeoutMs: stop.timeoutMs } },
    );
  }
  if (error instanceof APIConnectionError) {
    // Connection errors carry the socket failure, never a response body.
    return new FieldwiseError(
      'DEPENDENCY_UNAVAILABLE',
      'The model endpoint could not be reached',
      { context, cause: error.cause, retryAfterSeconds: 5 },
    );
  }
  const http = httpErrorOf(error);
  if (http !== undefined) return mapHttpError(http, context);
  return new FieldwiseError(
    'DEPENDENCY_UNAVAILABLE',
    'The model endpoint sent a response that could not be read',
    { context, retryAfterSeconds: 5 },
  );
}

function mapHttpError(
  error: ProviderHttpError,
  base: Record<string, string | number | boolean>,
): FieldwiseError {
  const status = error.status;
  const context: ErrorContext = {
    ...base,
    ...(status !== undefined ? { httpStatus: status } : {}),
    ...(error.requestID ? { providerRequestId: error.requestID } : {}),
    ...(typeof error.code === 'string' && SAFE_PROVIDER_CODE.test(error.code)
      ? { providerCode: error.code }
      : {}),
  };
  if (status === 429) {
    const waitMs = retryAfterMs(error.headers);
    return new FieldwiseError(
      'RATE_LIMITED',
      'The model provider is rate limiting this service',
      {
        context,
        retryAfterSeconds:
          waitMs === undefined
            ? DEFAULT_RATE_LIMIT_RETRY_SECONDS
            : Math.max(1, Math.ceil(waitMs / 1000)),
      },
    );
  }
  if (status === 400 || status === 413 || status === 422) {
    return new FieldwiseError(
      'VALIDATION_FAILED',
      `The model provider rejected the request (HTTP ${status})`,
      { context },
    );
  }
  if (status === 401 || status === 403) {
    return new FieldwiseError(
      'DEPENDENCY_UNAVAILABLE',
      `The model provider refused this service's credentials (HTTP ${status})`,
      { context },
    );
  }
  if (status === 404) {
    return new FieldwiseError(
      'DEPENDENCY_UNAVAILABLE',
      'The model provider does not know this model or deployment (HTTP 404)',
      { context },
    );
  }
  return new FieldwiseError(
    'DEPENDENCY_UNAVAILABLE',
    status === undefined
      ? 'The model endpoint reported an error in its stream'
      : `The model endpoint failed (HTTP ${status})`,
    { context, retryAfterSeconds: 5 },
  );
}
