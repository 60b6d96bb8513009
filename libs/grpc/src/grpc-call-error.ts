import {
  FieldwiseError,
  type ErrorCode,
  type FieldwiseErrorOptions,
} from '@fieldwise/errors';

/** Options of {@link GrpcCallError}: the usual ones plus where it came from. */
export interface GrpcCallErrorOptions extends FieldwiseErrorOptions {
  /** The status code as it arrived on the wire. */
  readonly grpcStatus: number;
  /** The full method path (`/pkg.Service/Method`) of the failed call. */
  readonly method?: string;
}

/**
 * A failed gRPC call, decoded on the client side. `code` is the server's
 * `ErrorInfo.reason` when it sent a Fieldwise one, otherwise the catalogue
 * code closest to the status; `grpcStatus` is the status actually received.
 * The message is the server's status message: Fieldwise servers keep it safe
 * to show, but transport errors come from grpc-js, so show it only for 4xx.
 */
export class GrpcCallError extends FieldwiseError {
  readonly grpcStatus: number;
  readonly method: string | undefined;

  constructor(code: ErrorCode, message: string, options: GrpcCallErrorOptions) {
    super(code, message, options);
    this.grpcStatus = options.grpcStatus;
    this.method = options.method;
  }
}
