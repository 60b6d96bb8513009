import type { Metadata } from '@grpc/grpc-js';
import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Principal } from '@fieldwise/principal';

/**
 * What the server interceptor learned about a call, handed to the service
 * adapter. grpc-js passes the interceptor's request metadata object through
 * to the handler unchanged, so the metadata is the key.
 */
export interface CallState {
  readonly method: string;
  readonly deadline: Date;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The active OpenTelemetry context of the call (its SERVER span, if any). */
  readonly otelContext: Context;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  principal: Principal | undefined;
  principalToken: string | undefined;
  /** What the handler threw, kept for the call's log line and span. */
  error: unknown;
  /**
   * False once the call's status is on its way: nothing may be written any
   * more. A draining server aborts a stream's signal while it is still open,
   * so the handler can write a last event before it ends.
   */
  open: boolean;
}

const states = new WeakMap<Metadata, CallState>();

export function attachCallState(metadata: Metadata, state: CallState): void {
  states.set(metadata, state);
}

export function getCallState(metadata: Metadata): CallState | undefined {
  return states.get(metadata);
}
