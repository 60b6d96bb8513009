import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Principal } from '@fieldwise/principal';

/** What a handler knows about the call it serves, beyond the request. */
export interface CallContext {
  /** The verified principal the call is made for. */
  readonly principal: Principal;
  /** The verified token itself, to forward on downstream calls (it expires quickly). */
  readonly principalToken: string;
  /** Full method path, `/package.Service/Method`. */
  readonly method: string;
  /** When the call must be answered: the client's deadline, the server default, never past the server max. */
  readonly deadline: Date;
  /**
   * Aborts at the deadline, when the client cancels, or when the server
   * drains; `signal.reason` is a FieldwiseError (DEADLINE_EXCEEDED,
   * CANCELLED, SHUTTING_DOWN). Pass it to everything the handler awaits.
   */
  readonly signal: AbortSignal;
  /** Child logger carrying the method and trace id. */
  readonly logger: Logger;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  /** The request metadata (includes the principal token and trace headers). */
  readonly metadata: Metadata;
}
