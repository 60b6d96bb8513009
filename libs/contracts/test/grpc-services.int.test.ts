import {
  Metadata,
  Server,
  ServerCredentials,
  credentials,
  status,
  type ServiceError,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentServiceClient,
  AgentServiceService,
  IdentityServiceClient,
  IdentityServiceService,
  type AgentServiceServer,
  type ChatResponse,
  type IdentityServiceServer,
  type WhoAmIResponse,
} from '../src/index.js';

// A real grpc-js server registering the generated service definitions. The
// handlers echo what they saw in call metadata, so the tests prove that the
// generated paths, codecs and client constructors agree end to end.
const whoAmI: IdentityServiceServer['whoAmI'] = (call, callback) => {
  const [principal] = call.metadata.get('x-fieldwise-principal');
  if (typeof principal !== 'string') {
    callback({ code: status.UNAUTHENTICATED, details: 'PRINCIPAL_MISSING' });
    return;
  }
  const claims = JSON.parse(principal) as {
    userId: string;
    tenant: string;
    roles: string[];
    territories: string[];
  };
  const [traceparent] = call.metadata.get('traceparent');
  const [, traceId = '', spanId = ''] = String(traceparent ?? '').split('-');
  callback(null, {
    service: 'contracts-test',
    principal: claims,
    traceId,
    spanId,
    receivedAt: new Date(0).toISOString(),
  });
};

const chat: AgentServiceServer['chat'] = (call) => {
  const conversationId = call.request.conversationId || 'conv-new';
  const words = call.request.message.split(' ');
  words.forEach((word, index) => {
    call.write({
      conversationId,
      sequence: index + 1,
      event: { $case: 'delta', value: { text: word } },
    });
  });
  call.write({
    conversationId,
    sequence: words.length + 1,
    event: {
      $case: 'final',
      value: {
        conversationId,
        messageId: 'msg-1',
        answer: words.join(' '),
        citations: [],
        toolCalls: [],
        pendingActions: [],
        model: { provider: 'offline', name: 'offline-planner', offline: true },
      },
    },
  });
  call.end();
};

let server: Server;
let address: string;

beforeAll(async () => {
  server = new Server();
  server.addService(IdentityServiceService, { whoAmI });
  // Only Chat is implemented; grpc-js answers the others UNIMPLEMENTED.
  server.addService(AgentServiceService, { chat });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      '127.0.0.1:0',
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  address = `127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

function callWhoAmI(metadata: Metadata): Promise<WhoAmIResponse> {
  const client = new IdentityServiceClient(
    address,
    credentials.createInsecure(),
  );
  return new Promise<WhoAmIResponse>((resolve, reject) => {
    client.whoAmI({}, metadata, (error, response) => {
      if (error) reject(error);
      else resolve(response);
    });
  }).finally(() => client.close());
}

describe('IdentityService over grpc-js', () => {
  it('returns the principal and trace context the server saw', async () => {
    const metadata = new Metadata();
    metadata.set(
      'x-fieldwise-principal',
      JSON.stringify({
        userId: 'u-0001',
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east', 'amer-central'],
      }),
    );
    metadata.set(
      'traceparent',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    );

    const response = await callWhoAmI(metadata);

    expect(response).toEqual({
      service: 'contracts-test',
      principal: {
        userId: 'u-0001',
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east', 'amer-central'],
      },
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      receivedAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it('carries the handler status to the client', async () => {
    const error = await callWhoAmI(new Metadata()).then(
      () => undefined,
      (caught: unknown) => caught as ServiceError,
    );
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(error?.details).toBe('PRINCIPAL_MISSING');
  });
});

describe('AgentService over grpc-js', () => {
  it('streams chat events in order, ending with the final answer', async () => {
    const client = new AgentServiceClient(
      address,
      credentials.createInsecure(),
    );
    const received: ChatResponse[] = [];
    try {
      const stream = client.chat({
        message: 'hello Acme',
        conversationId: '',
        accountId: '',
        model: '',
        evalRunId: '',
      });
      for await (const event of stream) {
        received.push(event as ChatResponse);
      }
    } finally {
      client.close();
    }

    expect(received.map((event) => event.event?.$case)).toEqual([
      'delta',
      'delta',
      'final',
    ]);
    expect(received.map((event) => event.sequence)).toEqual([1, 2, 3]);
    const last = received.at(-1)?.event;
    expect(last?.$case === 'final' && last.value.answer).toBe('hello Acme');
  });

  it('answers an RPC the server did not implement with UNIMPLEMENTED', async () => {
    const client = new AgentServiceClient(
      address,
      credentials.createInsecure(),
    );
    const error = await new Promise<ServiceError | null>((resolve) => {
      client.listModels({}, (caught) => resolve(caught));
    }).finally(() => client.close());
    expect(error?.code).toBe(status.UNIMPLEMENTED);
  });
});
