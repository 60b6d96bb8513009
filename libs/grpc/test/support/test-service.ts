import { setTimeout as delay } from 'node:timers/promises';
import {
  DependencyUnavailableError,
  FieldwiseError,
  NotFoundError,
  ValidationError,
} from '@fieldwise/errors';
import { trace } from '@opentelemetry/api';
import type { ServiceHandlers } from '../../src/index.js';

/** JSON (de)serializers: the tests need no generated code. */
function json<T>() {
  return {
    serialize: (value: T): Buffer => Buffer.from(JSON.stringify(value)),
    deserialize: (bytes: Buffer): T => JSON.parse(bytes.toString('utf8')) as T,
  };
}

function unary<Request, Response>(path: string) {
  const request = json<Request>();
  const response = json<Response>();
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: request.serialize,
    requestDeserialize: request.deserialize,
    responseSerialize: response.serialize,
    responseDeserialize: response.deserialize,
  } as const;
}

function serverStream<Request, Response>(path: string) {
  return { ...unary<Request, Response>(path), responseStream: true } as const;
}

export interface EchoRequest {
  text: string;
}
export interface EchoResponse {
  text: string;
  userId: string;
  actorId?: string;
  traceId?: string;
}
export interface FailRequest {
  kind: 'validation' | 'not-found' | 'unavailable' | 'plain' | 'internal';
}
export interface AttemptRequest {
  key: string;
  failures: number;
}
export interface AttemptResponse {
  attempts: number;
}
export interface TicksRequest {
  /** Ticks to send; 0 means until the call is aborted; negative fails after one tick. */
  count: number;
}
export interface Tick {
  n: number;
}

const PREFIX = '/fieldwise.test.v1.TestService';

/** A hand-written definition shaped like ts-proto's `outputServices=grpc-js` output. */
export const TestServiceService = {
  echo: unary<EchoRequest, EchoResponse>(`${PREFIX}/Echo`),
  fail: unary<FailRequest, EchoResponse>(`${PREFIX}/Fail`),
  slow: unary<EchoRequest, EchoResponse>(`${PREFIX}/Slow`),
  attempt: unary<AttemptRequest, AttemptResponse>(`${PREFIX}/Attempt`),
  ticks: serverStream<TicksRequest, Tick>(`${PREFIX}/Ticks`),
} as const;

/** What the handlers observed, for assertions. */
export interface Observations {
  readonly attempts: Map<string, number>;
  readonly aborts: FieldwiseError[];
  /** Resolves `slow` calls waiting for the test's go-ahead. */
  releaseSlow: (() => void) | undefined;
  slowStarted: Promise<void>;
  ticksStarted: Promise<void>;
}

export function createObservations(): Observations {
  const observations: Observations = {
    attempts: new Map(),
    aborts: [],
    releaseSlow: undefined,
    slowStarted: Promise.resolve(),
    ticksStarted: Promise.resolve(),
  };
  return observations;
}

/** Handlers exercising each path the library must handle. */
export function testHandlers(
  observed: Observations,
): ServiceHandlers<typeof TestServiceService> {
  let markSlowStarted: () => void = () => undefined;
  let markTicksStarted: () => void = () => undefined;
  observed.slowStarted = new Promise((resolve) => (markSlowStarted = resolve));
  observed.ticksStarted = new Promise(
    (resolve) => (markTicksStarted = resolve),
  );

  return {
    echo: (request, ctx) => {
      trace
        .getTracer('test')
        .startActiveSpan('inside-handler', (span) => span.end());
      return Promise.resolve({
        text: request.text,
        userId: ctx.principal.userId,
        ...(ctx.principal.actor ? { actorId: ctx.principal.actor.id } : {}),
        ...(ctx.traceId ? { traceId: ctx.traceId } : {}),
      });
    },
    fail: (request) => {
      switch (request.kind) {
        case 'validation':
          throw new ValidationError([
            { field: 'account.name', message: 'must not be empty' },
            { field: 'territory', message: 'unknown territory' },
          ]);
        case 'not-found':
          throw new NotFoundError('Account', 'acc-42');
        case 'unavailable':
          throw new DependencyUnavailableError(
            'postgres',
            new Error('ECONNREFUSED 10.0.0.5'),
            7,
          );
        case 'internal':
          throw new FieldwiseError(
            'INTERNAL',
            'pool exhausted at db-primary-3',
            {
              context: { host: 'db-primary-3' },
            },
          );
        case 'plain':
          throw new Error('secret connection string postgres://admin:pw@db');
      }
    },
    slow: async (request, ctx) => {
      markSlowStarted();
      await new Promise<void>((resolve) => {
        observed.releaseSlow = resolve;
        ctx.signal.addEventListener('abort', () => {
          observed.aborts.push(ctx.signal.reason as FieldwiseError);
          resolve();
        });
      });
      return { text: request.text, userId: ctx.principal.userId };
    },
    attempt: (request) => {
      const attempts = (observed.attempts.get(request.key) ?? 0) + 1;
      observed.attempts.set(request.key, attempts);
      if (attempts <= request.failures) {
        throw new FieldwiseError('DEPENDENCY_UNAVAILABLE', 'try again');
      }
      return Promise.resolve({ attempts });
    },
    ticks: async (request, ctx, send) => {
      markTicksStarted();
      if (request.count < 0) {
        send({ n: 0 });
        throw new ValidationError([
          { field: 'count', message: 'must not be negative' },
        ]);
      }
      for (let n = 1; request.count === 0 || n <= request.count; n++) {
        send({ n });
        if (request.count === 0) {
          try {
            await delay(20, undefined, { signal: ctx.signal });
          } catch {
            observed.aborts.push(ctx.signal.reason as FieldwiseError);
            // A draining server still delivers this last event; after a
            // deadline or a cancel the stream is closed and send throws.
            send({ n: -1 });
            return;
          }
        }
      }
    },
  };
}
