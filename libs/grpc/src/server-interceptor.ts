import {
  ServerInterceptingCall,
  status as Status,
  type Metadata,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServerMethodDefinition,
  type StatusObject,
} from '@grpc/grpc-js';
import { ROOT_CONTEXT, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { FieldwiseError, toFieldwiseError } from '@fieldwise/errors';
import type { ServiceMetrics } from '@fieldwise/telemetry';
import {
  PRINCIPAL_METADATA_KEY,
  type PrincipalVerifier,
} from '@fieldwise/principal';
import { effectiveDeadline, type DeadlineOptions } from './call-deadline.js';
import type { CallRegistry, TrackedCall } from './call-registry.js';
import { attachCallState, type CallState } from './call-state.js';
import { toGrpcStatus } from './error-mapping.js';
import { isInfrastructureMethod } from './rpc-method.js';
import { endRpcSpan, spanIds, startServerSpan } from './rpc-tracing.js';

/** What {@link createServerInterceptor} needs. */
export interface ServerInterceptorDeps {
  readonly verifier: PrincipalVerifier;
  readonly logger: Logger;
  readonly deadlines: DeadlineOptions;
  readonly registry: CallRegistry;
  /** Receives every finished application call (health and reflection are not counted). */
  readonly metrics?: ServiceMetrics;
}

const OPAQUE_STATUSES: ReadonlySet<number> = new Set([
  Status.UNKNOWN,
  Status.INTERNAL,
  Status.DATA_LOSS,
]);

/**
 * A client whose own deadline fires cancels the stream, and that cancel
 * reaches us shortly before our copy of the deadline (the header travelled
 * first). A cancel this close to the deadline is taken as the deadline.
 */
const DEADLINE_SLACK_MS = 100;

/**
 * The one server interceptor of a Fieldwise server, doing in order for every
 * call: refuse it while draining; compute its deadline (client's, default,
 * capped) and arm a timer that aborts the handler and answers
 * DEADLINE_EXCEEDED; extract the W3C trace context and start a SERVER span;
 * verify `x-fieldwise-principal` (except health and reflection) and answer
 * UNAUTHENTICATED with the PRINCIPAL_* reason on failure; hand all of it to
 * the handler adapter; and, once the call ends, end the span and write one
 * log line (method, status, duration, trace id, error code; never payloads).
 */
export function createServerInterceptor(
  deps: ServerInterceptorDeps,
): ServerInterceptor {
  return (
    descriptor: ServerMethodDefinition<unknown, unknown>,
    call: ServerInterceptingCallInterface,
  ) => {
    const method = descriptor.path;
    const infrastructure = isInfrastructureMethod(method);
    const startedAt = performance.now();
    const abort = new AbortController();
    const deadline = effectiveDeadline(call.getDeadline(), deps.deadlines);
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    let span: Span | undefined;
    let state: CallState | undefined;
    let failure: unknown;

    const tracked: TrackedCall = {
      method,
      responseStream: descriptor.responseStream,
      infrastructure,
      end: (error) => endWith(error),
      interrupt: (error) => {
        if (!finished && !abort.signal.aborted) abort.abort(error);
      },
    };

    const finish = (
      status: StatusObject | { code: number; details: string },
    ) => {
      if (finished) return;
      finished = true;
      if (state) state.open = false;
      clearTimeout(timer);
      deps.registry.delete(tracked);
      const error = state?.error ?? failure;
      const durationMs = performance.now() - startedAt;
      if (!infrastructure) {
        deps.metrics?.observeRpc({
          method,
          code: Status[status.code] ?? String(status.code),
          durationSeconds: durationMs / 1000,
        });
      }
      if (span) endRpcSpan(span, 'server', status.code, status.details, error);
      logCall(deps.logger, {
        method,
        infrastructure,
        code: status.code,
        durationMs,
        traceId: state?.traceId,
        userId: state?.principal?.userId,
        error,
      });
    };

    const interceptingCall = new ServerInterceptingCall(call, {
      start(next) {
        deps.registry.add(tracked);
        timer = setTimeout(
          () => endWith(new FieldwiseError('DEADLINE_EXCEEDED')),
          Math.min(Math.max(deadline.getTime() - Date.now(), 0), 2 ** 31 - 1),
        );
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            if (deps.registry.draining) {
              endWith(new FieldwiseError('SHUTTING_DOWN'));
              return;
            }
            const traced = infrastructure
              ? undefined
              : startServerSpan(method, metadata);
            span = traced?.span;
            const ids = span ? spanIds(span) : {};
            state = {
              method,
              deadline,
              signal: abort.signal,
              logger: deps.logger.child({
                grpcMethod: method,
                traceId: ids.traceId,
              }),
              otelContext: traced?.spanContext ?? ROOT_CONTEXT,
              traceId: ids.traceId,
              spanId: ids.spanId,
              principal: undefined,
              principalToken: undefined,
              error: undefined,
              open: true,
            };
            attachCallState(metadata, state);
            if (infrastructure) {
              nextMetadata(metadata);
              return;
            }
            const token = firstString(metadata, PRINCIPAL_METADATA_KEY);
            deps.verifier.verify(token).then(
              (principal) => {
                if (finished || !state) return;
                state.principal = principal;
                state.principalToken = token;
                nextMetadata(metadata);
              },
              (error: unknown) => endWith(error),
            );
          },
          onCancel() {
            if (finished) return;
            // The transport ended the call without a status from us: the
            // client's deadline (grpc-js answers it itself) or a cancel.
            const expired =
              Date.now() >= deadline.getTime() - DEADLINE_SLACK_MS;
            const reason = new FieldwiseError(
              expired ? 'DEADLINE_EXCEEDED' : 'CANCELLED',
            );
            if (state) state.open = false;
            abort.abort(reason);
            finish({ code: reason.status, details: reason.message });
          },
        });
      },
      sendStatus(status, next) {
        finish(status);
        next(status);
      },
    });

    /** Ends the call from here: aborts the handler, then answers with the error's status. */
    function endWith(error: unknown): void {
      if (finished) return;
      failure = error;
      // Closed before the abort, so the handler's abort listeners cannot write.
      if (state) state.open = false;
      if (!abort.signal.aborted) abort.abort(toFieldwiseError(error));
      interceptingCall.sendStatus(toGrpcStatus(error));
    }

    return interceptingCall;
  };
}

interface CallRecord {
  readonly method: string;
  readonly infrastructure: boolean;
  readonly code: number;
  readonly durationMs: number;
  readonly traceId: string | undefined;
  readonly userId: string | undefined;
  readonly error: unknown;
}

function logCall(logger: Logger, record: CallRecord): void {
  const opaque = OPAQUE_STATUSES.has(record.code);
  const fields: Record<string, unknown> = {
    grpc: {
      method: record.method,
      code: Status[record.code] ?? String(record.code),
      durationMs: Math.round(record.durationMs * 10) / 10,
    },
  };
  if (record.traceId) fields['traceId'] = record.traceId;
  if (record.userId) fields['userId'] = record.userId;
  if (record.error instanceof FieldwiseError) {
    fields['errorCode'] = record.error.code;
  }
  // The client got a generic message for these: the real error lives here.
  if (opaque && record.error !== undefined) fields['err'] = record.error;
  if (opaque) logger.error(fields, 'grpc call failed');
  else if (record.infrastructure) logger.debug(fields, 'grpc call');
  else logger.info(fields, 'grpc call');
}

function firstString(metadata: Metadata, key: string): string | undefined {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
}
