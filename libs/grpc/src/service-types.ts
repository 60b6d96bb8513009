import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/**
 * A method definition as ts-proto (`outputServices=grpc-js`) emits it: a
 * const object whose `requestStream`/`responseStream` are literal types and
 * whose (de)serializers carry the message types.
 */
export type AnyMethodDefinition = MethodDefinition<unknown, unknown> & {
  readonly requestStream: boolean;
  readonly responseStream: boolean;
};

/** Request type a server receives (what `requestDeserialize` returns). */
export type ServerRequestOf<M> = M extends {
  requestDeserialize: (bytes: Buffer) => infer Request;
}
  ? Request
  : never;

/** Response type a server sends (what `responseSerialize` accepts). */
export type ServerResponseOf<M> = M extends {
  responseSerialize: (value: infer Response) => Buffer;
}
  ? Response
  : never;

/** Request type a client sends (what `requestSerialize` accepts). */
export type ClientRequestOf<M> = M extends {
  requestSerialize: (value: infer Request) => Buffer;
}
  ? Request
  : never;

/** Response type a client receives (what `responseDeserialize` returns). */
export type ClientResponseOf<M> = M extends {
  responseDeserialize: (bytes: Buffer) => infer Response;
}
  ? Response
  : never;

/** A method with one request and one response. */
export type UnaryMethod = { requestStream: false; responseStream: false };

/** A method with one request and a stream of responses. */
export type ServerStreamMethod = { requestStream: false; responseStream: true };

/** Any grpc-js service definition (ts-proto `FooServiceService`, hand-written, proto-loader). */
export type AnyServiceDefinition = ServiceDefinition;
