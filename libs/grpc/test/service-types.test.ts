import { describe, expectTypeOf, it } from 'vitest';
import type { Metadata } from '@grpc/grpc-js';
import type {
  GrpcServiceClient,
  ServiceHandlers,
  StreamSender,
} from '../src/index.js';
import type {
  EchoRequest,
  EchoResponse,
  Tick,
  TicksRequest,
  TestServiceService,
} from './support/test-service.js';

type Service = typeof TestServiceService;

describe('types inferred from a ts-proto style definition', () => {
  it('types handlers from the (de)serializers', () => {
    type Handlers = ServiceHandlers<Service>;
    expectTypeOf<
      Parameters<Handlers['echo']>[0]
    >().toEqualTypeOf<EchoRequest>();
    expectTypeOf<ReturnType<Handlers['echo']>>().toEqualTypeOf<
      Promise<EchoResponse> | EchoResponse
    >();
    expectTypeOf<Parameters<Handlers['ticks']>[2]>().toEqualTypeOf<
      StreamSender<Tick>
    >();
  });

  it('types client callers the same way', () => {
    type Client = GrpcServiceClient<Service>;
    expectTypeOf<Parameters<Client['echo']>[0]>().toEqualTypeOf<EchoRequest>();
    expectTypeOf<ReturnType<Client['echo']>>().toEqualTypeOf<
      Promise<EchoResponse>
    >();
    expectTypeOf<
      Parameters<Client['ticks']>[0]
    >().toEqualTypeOf<TicksRequest>();
    expectTypeOf<ReturnType<Client['ticks']>>().toEqualTypeOf<
      AsyncGenerator<Tick, void, undefined>
    >();
  });

  it('gives client-streaming methods no usable handler', () => {
    const _clientStreaming = {
      upload: {
        path: '/p.S/Upload',
        requestStream: true,
        responseStream: false,
        requestSerialize: (value: EchoRequest) => Buffer.from(value.text),
        requestDeserialize: (bytes: Buffer): EchoRequest => ({
          text: bytes.toString(),
        }),
        responseSerialize: (value: EchoResponse) => Buffer.from(value.text),
        responseDeserialize: (bytes: Buffer): EchoResponse => ({
          text: bytes.toString(),
          userId: '',
        }),
      },
    } as const;
    expectTypeOf<
      ServiceHandlers<typeof _clientStreaming>['upload']
    >().toEqualTypeOf<never>();
    expectTypeOf<Metadata>().not.toBeNever();
  });
});
