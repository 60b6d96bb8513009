import { pino } from 'pino';
import { createPrincipalSigner, type Principal } from '@fieldwise/principal';
import type { AnyServiceDefinition } from './service-types.js';
import { createGrpcClient, type GrpcServiceClient } from './grpc-client.js';
import {
  resolvePrincipalKey,
  runGrpcService,
  type RunServiceOptions,
} from './run-service.js';
import type { RunningGrpcServer } from './grpc-server.js';

/** A service started in-process for a test, with helpers to call it as a user. */
export interface ServiceUnderTest {
  readonly server: RunningGrpcServer;
  readonly address: string;
  /** A typed client for one of the service's definitions. */
  client<S extends AnyServiceDefinition>(definition: S): GrpcServiceClient<S>;
  /** A principal token signed with the service's key, as the gateway would sign it. */
  sign(principal: Principal): Promise<string>;
  /** Drains the server and closes every client made by `client()`. */
  stop(): Promise<void>;
}

/**
 * Starts a service exactly as its `main.ts` does (runGrpcService), but on a
 * free port, with silent logs and without signal handlers.
 */
export async function startServiceForTest(
  options: Omit<RunServiceOptions, 'handleSignals' | 'logDestination'>,
): Promise<ServiceUnderTest> {
  const silent = pino.destination({ dest: '/dev/null', sync: true });
  const server = await runGrpcService({
    ...options,
    handleSignals: false,
    logDestination: silent,
  });
  const address = `127.0.0.1:${server.port}`;
  const signer = createPrincipalSigner({
    key: await resolvePrincipalKey(options.config),
  });
  const clients: { close(): void }[] = [];
  return {
    server,
    address,
    client: (definition) => {
      const client = createGrpcClient(definition, address, {
        logger: pino({ level: 'silent' }),
      });
      clients.push(client);
      return client;
    },
    sign: (principal) => signer.sign(principal),
    stop: async () => {
      for (const client of clients) client.close();
      await server.drain({ timeoutMs: 2_000 });
    },
  };
}
