import type {
  sendUnaryData,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedHandleCall,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { FieldwiseError } from '@fieldwise/errors';
import type { CallContext } from './call-context.js';
import { getCallState, type CallState } from './call-state.js';
import { toServiceError } from './error-mapping.js';
import { parseMethodPath } from './rpc-method.js';
import type {
  AnyMethodDefinition,
  AnyServiceDefinition,
  ServerRequestOf,
  ServerResponseOf,
  ServerStreamMethod,
  UnaryMethod,
} from './service-types.js';

/** A unary handler: return (or resolve with) the response, or throw a FieldwiseError. */
export type UnaryHandler<Request, Response> = (
  request: Request,
  ctx: CallContext,
) => Promise<Response> | Response;

/**
 * Queues one message on a server stream. Throws the call's abort reason
 * (CANCELLED, DEADLINE_EXCEEDED, SHUTTING_DOWN) once the call is over, so a
 * producing loop stops at its next message. Messages are buffered by the
 * transport; a handler producing faster than the network drains should
 * pace itself.
 */
export type StreamSender<Response> = (message: Response) => void;

/**
 * A server-streaming handler: `send` each message, return (or resolve) to
 * end the stream with OK, or throw to end it with the error's status.
 */
export type ServerStreamHandler<Request, Response> = (
  request: Request,
  ctx: CallContext,
  send: StreamSender<Response>,
) => Promise<void> | void;

/** The handler type for one method; client and bidirectional streaming are not supported (never). */
export type HandlerFor<M> = M extends UnaryMethod
  ? UnaryHandler<ServerRequestOf<M>, ServerResponseOf<M>>
  : M extends ServerStreamMethod
    ? ServerStreamHandler<ServerRequestOf<M>, ServerResponseOf<M>>
    : never;

/** One handler per method of the service definition `S`, typed from its (de)serializers. */
export type ServiceHandlers<S extends AnyServiceDefinition> = {
  readonly [K in keyof S]: HandlerFor<S[K]>;
};

/** A service ready for {@link startGrpcServer}: definition, grpc-js implementation, health name. */
export interface ServiceRegistration {
  /** Fully qualified service name (`package.Service`), reported by health checking. */
  readonly name: string;
  readonly definition: AnyServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

/**
 * Adapts plain async handlers to grpc-js. Each handler runs inside the
 * call's OpenTelemetry context with a {@link CallContext} holding the
 * verified principal, deadline, abort signal and logger; whatever it throws
 * is sent as a typed status (see toGrpcStatus). The context comes from the
 * server interceptor installed by startGrpcServer: registered on a server
 * without it, every call fails with INTERNAL.
 * @throws FieldwiseError CONFIG_INVALID when a handler is missing, the
 * definition is empty, or a method streams requests (unsupported).
 */
export function implementService<S extends AnyServiceDefinition>(
  definition: S,
  handlers: ServiceHandlers<S>,
): ServiceRegistration {
  const implementation: UntypedServiceImplementation = {};
  let name: string | undefined;
  for (const key of Object.keys(definition)) {
    const method = definition[key] as AnyMethodDefinition;
    const handler: unknown = handlers[key as keyof S];
    name ??= parseMethodPath(method.path).service;
    if (typeof handler !== 'function') {
      throw new FieldwiseError(
        'CONFIG_INVALID',
        `No handler for ${method.path}`,
        { context: { method: method.path } },
      );
    }
    if (method.requestStream) {
      throw new FieldwiseError(
        'CONFIG_INVALID',
        `Client streaming is not supported (${method.path})`,
        { context: { method: method.path } },
      );
    }
    implementation[key] = method.responseStream
      ? adaptServerStream(handler as ServerStreamHandler<unknown, unknown>)
      : adaptUnary(handler as UnaryHandler<unknown, unknown>);
  }
  if (name === undefined) {
    throw new FieldwiseError('CONFIG_INVALID', 'The service defines no method');
  }
  return { name, definition, implementation };
}

function adaptUnary(
  handler: UnaryHandler<unknown, unknown>,
): UntypedHandleCall {
  return (
    call: ServerUnaryCall<unknown, unknown>,
    callback: sendUnaryData<unknown>,
  ) => {
    const state = getCallState(call.metadata);
    const ctx = state && callContext(state, call.metadata);
    if (!state || !ctx) {
      callback(toServiceError(missingInterceptor()));
      return;
    }
    runInContext(state, () => handler(call.request, ctx)).then(
      (response) => callback(null, response),
      (error: unknown) => {
        state.error = error;
        callback(toServiceError(error));
      },
    );
  };
}

function adaptServerStream(
  handler: ServerStreamHandler<unknown, unknown>,
): UntypedHandleCall {
  return (call: ServerWritableStream<unknown, unknown>) => {
    const state = getCallState(call.metadata);
    const ctx = state && callContext(state, call.metadata);
    if (!state || !ctx) {
      call.emit('error', toServiceError(missingInterceptor()));
      return;
    }
    // An interrupted stream (server draining) stays writable until its
    // status is sent, and then ends with the interruption's status (it was
    // cut short, even if the handler returned); an ended call already has
    // its status, and writing or ending it again would hang on the dead stream.
    const send: StreamSender<unknown> = (message) => {
      if (!state.open) throw ctx.signal.reason;
      call.write(message);
    };
    runInContext(state, () => handler(call.request, ctx, send)).then(
      () => {
        if (!state.open) return;
        if (ctx.signal.aborted)
          call.emit('error', toServiceError(ctx.signal.reason));
        else call.end();
      },
      (error: unknown) => {
        state.error = error;
        if (state.open) call.emit('error', toServiceError(error));
      },
    );
  };
}

/** Runs a handler in the call's trace context; a synchronous throw becomes a rejection. */
function runInContext<T>(
  state: CallState,
  run: () => Promise<T> | T,
): Promise<T> {
  return context.with(
    state.otelContext,
    () => new Promise<T>((resolve) => resolve(run())),
  );
}

function callContext(
  state: CallState,
  metadata: CallContext['metadata'],
): CallContext | undefined {
  if (!state.principal || state.principalToken === undefined) return undefined;
  return {
    principal: state.principal,
    principalToken: state.principalToken,
    method: state.method,
    deadline: state.deadline,
    signal: state.signal,
    logger: state.logger,
    traceId: state.traceId,
    spanId: state.spanId,
    metadata,
  };
}

function missingInterceptor(): FieldwiseError {
  return new FieldwiseError(
    'INTERNAL',
    'implementService handlers need the interceptor installed by startGrpcServer',
  );
}
