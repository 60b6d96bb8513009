import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import {
  createPrincipalSigner,
  createPrincipalVerifier,
  type Principal,
} from '@fieldwise/principal';
import {
  createGrpcClient,
  implementService,
  startGrpcServer,
  type GrpcClientOptions,
  type GrpcServerOptions,
  type GrpcServiceClient,
  type RunningGrpcServer,
} from '../../src/index.js';
import {
  createObservations,
  testHandlers,
  TestServiceService,
  type Observations,
} from './test-service.js';

export const seller: Principal = {
  userId: 'u-ana',
  tenant: 'northwind',
  roles: ['seller'],
  territories: ['emea-north'],
};

/** A logger that keeps its JSON lines in memory (tests must not print). */
export function memoryLogger(): {
  logger: Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '')
          lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export interface Harness {
  readonly server: RunningGrpcServer;
  readonly client: GrpcServiceClient<typeof TestServiceService>;
  readonly observed: Observations;
  readonly lines: Record<string, unknown>[];
  readonly key: Uint8Array;
  readonly address: string;
  token(principal?: Principal): Promise<string>;
  close(): Promise<void>;
}

/** Starts the test service on 127.0.0.1 with port 0 and a client for it. */
export async function startHarness(
  overrides: Partial<GrpcServerOptions> = {},
  clientOptions: GrpcClientOptions = {},
): Promise<Harness> {
  const key = new Uint8Array(randomBytes(32));
  const observed = createObservations();
  const { logger, lines } = memoryLogger();
  const server = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [implementService(TestServiceService, testHandlers(observed))],
    verifier: createPrincipalVerifier({ key }),
    logger,
    ...overrides,
  });
  const address = `127.0.0.1:${server.port}`;
  const client = createGrpcClient(TestServiceService, address, {
    defaultDeadlineMs: 5_000,
    retry: { initialBackoffMs: 5, maxBackoffMs: 20 },
    ...clientOptions,
  });
  const signer = createPrincipalSigner({ key });
  return {
    server,
    client,
    observed,
    lines,
    key,
    address,
    token: (principal = seller) => signer.sign(principal),
    async close() {
      client.close();
      observed.releaseSlow?.();
      await server.drain({ timeoutMs: 1_000 });
    },
  };
}
