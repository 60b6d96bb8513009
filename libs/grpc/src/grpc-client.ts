import { setTimeout as delay } from 'node:timers/promises';
import {
  Client,
  credentials as grpcCredentials,
  Metadata,
  type ChannelCredentials,
  type ChannelOptions,
  type ServiceError,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { FieldwiseError, type ErrorContext } from '@fieldwise/errors';
import { PRINCIPAL_METADATA_KEY } from '@fieldwise/principal';
import { createClientTracingInterceptor } from './client-tracing-interceptor.js';
import { fromGrpcError } from './error-mapping.js';
import {
  isRetryable,
  nextBackoffMs,
  type RetryOptions,
} from './retry-policy.js';
import type {
  AnyMethodDefinition,
  AnyServiceDefinition,
  ClientRequestOf,
  ClientResponseOf,
  ServerStreamMethod,
  UnaryMethod,
} from './service-types.js';

/** Settings of {@link createGrpcClient}. */
export interface GrpcClientOptions {
  /** Deadline of a call that names none; default 10 s. */
  readonly defaultDeadlineMs?: number;
  /** No call may ask for more; default 5 min. */
  readonly maxDeadlineMs?: number;
  /** Backoff for idempotent calls. */
  readonly retry?: RetryOptions;
  /** Default insecure (private network behind the gateway). */
  readonly credentials?: ChannelCredentials;
  /** Extra grpc-js channel options; they override the keep-alive defaults. */
  readonly channelOptions?: ChannelOptions;
  /** Receives a debug line per retry. */
  readonly logger?: Logger;
}

/** Per-call settings. */
export interface RpcCallOptions {
  /** The signed principal the call is made for (`x-fieldwise-principal`). */
  readonly principalToken: string;
  /** Time allowed from now; default from the client options. Ignored when `deadline` is set. */
  readonly deadlineMs?: number;
  /** Absolute deadline, e.g. the incoming call's `ctx.deadline` to propagate it. */
  readonly deadline?: Date;
  /** Safe to run twice: only such calls are retried (on UNAVAILABLE). */
  readonly idempotent?: boolean;
  /** Cancels the call (CANCELLED), e.g. the incoming call's `ctx.signal`. */
  readonly signal?: AbortSignal;
  /** Extra request metadata. */
  readonly metadata?: Metadata;
}

/** Calls a unary method; rejects with a decoded FieldwiseError (GrpcCallError). */
export type UnaryCaller<Request, Response> = (
  request: Request,
  options: RpcCallOptions,
) => Promise<Response>;

/**
 * Calls a server-streaming method; iteration throws a decoded FieldwiseError
 * (GrpcCallError) when the stream ends with an error. Leaving the loop
 * early cancels the call.
 */
export type ServerStreamCaller<Request, Response> = (
  request: Request,
  options: RpcCallOptions,
) => AsyncGenerator<Response, void, undefined>;

/** One typed caller per method of `S`; streaming requests are not supported (never). */
export type ServiceCallers<S extends AnyServiceDefinition> = {
  readonly [K in keyof S]: S[K] extends UnaryMethod
    ? UnaryCaller<ClientRequestOf<S[K]>, ClientResponseOf<S[K]>>
    : S[K] extends ServerStreamMethod
      ? ServerStreamCaller<ClientRequestOf<S[K]>, ClientResponseOf<S[K]>>
      : never;
};

/** A typed client: the callers, plus the channel's lifecycle. */
export type GrpcServiceClient<S extends AnyServiceDefinition> =
  ServiceCallers<S> & {
    /** Closes the channel; calls in flight fail with CANCELLED or UNAVAILABLE. */
    close(): void;
    /** The underlying grpc-js client. */
    readonly grpcClient: Client;
  };

const DEFAULT_DEADLINE_MS = 10_000;
const MAX_DEADLINE_MS = 300_000;

const KEEPALIVE_DEFAULTS: ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
};

/**
 * Creates a typed client for the service definition `S` (a ts-proto
 * `FooServiceService` or any grpc-js ServiceDefinition) at `address`.
 * Every call carries a deadline (never infinite), the principal token, and
 * the W3C trace context of a CLIENT span started under the active context;
 * idempotent calls are retried on UNAVAILABLE with jittered exponential
 * backoff within their deadline (streams only before their first message).
 */
export function createGrpcClient<S extends AnyServiceDefinition>(
  definition: S,
  address: string,
  options: GrpcClientOptions = {},
): GrpcServiceClient<S> {
  const client = new Client(
    address,
    options.credentials ?? grpcCredentials.createInsecure(),
    {
      ...KEEPALIVE_DEFAULTS,
      ...options.channelOptions,
      interceptors: [createClientTracingInterceptor()],
    },
  );
  const callers: Record<string, unknown> = {};
  for (const key of Object.keys(definition)) {
    const method = definition[key] as AnyMethodDefinition;
    if (method.requestStream) continue;
    callers[key] = method.responseStream
      ? (request: unknown, callOptions: RpcCallOptions) =>
          serverStream(client, method, request, callOptions, options)
      : (request: unknown, callOptions: RpcCallOptions) =>
          unary(client, method, request, callOptions, options);
  }
  return Object.assign(callers, {
    close: () => client.close(),
    grpcClient: client,
  }) as unknown as GrpcServiceClient<S>;
}

async function unary(
  client: Client,
  method: AnyMethodDefinition,
  request: unknown,
  callOptions: RpcCallOptions,
  options: GrpcClientOptions,
): Promise<unknown> {
  const deadline = resolveDeadline(callOptions, options);
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(callOptions.signal);
    try {
      return await unaryAttempt(client, method, request, callOptions, deadline);
    } catch (raw) {
      const error = fromGrpcError(raw, method.path);
      await backoffOrThrow(
        error,
        attempt,
        deadline,
        callOptions,
        options,
        method.path,
      );
    }
  }
}

function unaryAttempt(
  client: Client,
  method: AnyMethodDefinition,
  request: unknown,
  callOptions: RpcCallOptions,
  deadline: Date,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const signal = callOptions.signal;
    const call = client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      requestMetadata(callOptions),
      { deadline },
      (error: ServiceError | null, response?: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(response);
      },
    );
    function onAbort() {
      call.cancel();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function* serverStream(
  client: Client,
  method: AnyMethodDefinition,
  request: unknown,
  callOptions: RpcCallOptions,
  options: GrpcClientOptions,
): AsyncGenerator<unknown, void, undefined> {
  const deadline = resolveDeadline(callOptions, options);
  const signal = callOptions.signal;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(signal);
    const call = client.makeServerStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      requestMetadata(callOptions),
      { deadline },
    );
    const onAbort = () => call.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let received = false;
    try {
      for await (const message of call as AsyncIterable<unknown>) {
        received = true;
        yield message;
      }
      return;
    } catch (raw) {
      const error = fromGrpcError(raw, method.path);
      // Once a message arrived the caller has acted on it: replaying would duplicate.
      if (received) throw error;
      await backoffOrThrow(
        error,
        attempt,
        deadline,
        callOptions,
        options,
        method.path,
      );
    } finally {
      signal?.removeEventListener('abort', onAbort);
      call.cancel();
    }
  }
}

async function backoffOrThrow(
  error: FieldwiseError,
  attempt: number,
  deadline: Date,
  callOptions: RpcCallOptions,
  options: GrpcClientOptions,
  path: string,
): Promise<void> {
  const wait =
    callOptions.idempotent && isRetryable(error)
      ? nextBackoffMs(attempt, error, deadline, options.retry)
      : undefined;
  if (wait === undefined) throw error;
  options.logger?.debug(
    { grpcMethod: path, attempt, delayMs: wait, errorCode: error.code },
    'grpc call retrying',
  );
  try {
    await delay(wait, undefined, { signal: callOptions.signal });
  } catch {
    throw cancelled(path);
  }
}

function resolveDeadline(
  callOptions: RpcCallOptions,
  options: GrpcClientOptions,
): Date {
  const now = Date.now();
  const max = now + (options.maxDeadlineMs ?? MAX_DEADLINE_MS);
  const wanted =
    callOptions.deadline?.getTime() ??
    now +
      (callOptions.deadlineMs ??
        options.defaultDeadlineMs ??
        DEFAULT_DEADLINE_MS);
  return new Date(Math.min(Number.isFinite(wanted) ? wanted : max, max));
}

function requestMetadata(callOptions: RpcCallOptions): Metadata {
  const metadata = callOptions.metadata?.clone() ?? new Metadata();
  metadata.set(PRINCIPAL_METADATA_KEY, callOptions.principalToken);
  return metadata;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

function cancelled(path?: string): FieldwiseError {
  const context: ErrorContext = path ? { method: path } : {};
  return new FieldwiseError(
    'CANCELLED',
    'The call was cancelled by the caller',
    {
      context,
    },
  );
}
