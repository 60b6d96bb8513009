import { join } from 'node:path';
import type { DestinationStream, Logger } from 'pino';
import { configWarnings } from '@fieldwise/config';
import {
  createPrincipalVerifier,
  loadOrCreateSecret,
  resolveKey,
} from '@fieldwise/principal';
import { createLogger, startTelemetry } from '@fieldwise/telemetry';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server.js';
import { createIdentityService } from './identity-service.js';
import type { ServiceRegistration } from './implement-service.js';

/** The configuration every gRPC service shares (see `baseServiceEnv`). */
export interface ServiceRuntimeConfig {
  readonly FIELDWISE_DATA_DIR: string;
  readonly LOG_LEVEL: string;
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  readonly OTEL_SERVICE_NAME?: string | undefined;
  readonly FIELDWISE_PRINCIPAL_KEY?: string | undefined;
  readonly FIELDWISE_GRPC_HOST: string;
  readonly GRPC_PORT: number;
  readonly SHUTDOWN_GRACE: number;
}

/** What a service's own wiring receives to build its handlers. */
export interface ServiceRuntime {
  readonly logger: Logger;
  readonly dataDir: string;
}

export interface RunServiceOptions {
  /** Short service name: `crm`, `agent`, `retrieval`, `eval`. */
  readonly name: string;
  readonly config: ServiceRuntimeConfig;
  /** Builds the service's handlers (and opens its stores). */
  readonly services?: (
    runtime: ServiceRuntime,
  ) => Promise<readonly ServiceRegistration[]>;
  /** Runs after the server drained: close stores, flush outboxes. */
  readonly onShutdown?: () => Promise<void>;
  /** Drain on SIGTERM/SIGINT (default true; tests running several services in one process turn it off). */
  readonly handleSignals?: boolean;
  /** Where logs go; default stdout. */
  readonly logDestination?: DestinationStream;
}

/** Where the principal key lives in embedded mode; the gateway reads the same file. */
export function devPrincipalKeyPath(dataDir: string): string {
  return join(dataDir, 'principal.key');
}

/** The principal key: configured, or the dev key generated once into the data dir. */
export async function resolvePrincipalKey(config: {
  readonly FIELDWISE_DATA_DIR: string;
  readonly FIELDWISE_PRINCIPAL_KEY?: string | undefined;
}): Promise<Uint8Array> {
  if (config.FIELDWISE_PRINCIPAL_KEY)
    return resolveKey(config.FIELDWISE_PRINCIPAL_KEY);
  return loadOrCreateSecret(devPrincipalKeyPath(config.FIELDWISE_DATA_DIR));
}

/**
 * Runs one gRPC service process: telemetry, logger, principal verification,
 * health, identity and the service's own handlers; drains on SIGTERM/SIGINT
 * and resolves when stopped. `main.ts` of each service is this call.
 */
export async function runGrpcService(
  options: RunServiceOptions,
): Promise<RunningGrpcServer> {
  const { config, name } = options;
  const logger = createLogger({
    name: config.OTEL_SERVICE_NAME ?? `${name}-service`,
    // LOG_LEVEL was validated against pino's levels by the config schema.
    level: config.LOG_LEVEL as 'info',
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  for (const warning of configWarnings(config)) {
    logger.warn({ variable: warning.variable }, warning.message);
  }
  const telemetry = startTelemetry({
    serviceName: config.OTEL_SERVICE_NAME ?? `${name}-service`,
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
    logger,
  });
  const verifier = createPrincipalVerifier({
    key: await resolvePrincipalKey(config),
  });
  const own = options.services
    ? await options.services({ logger, dataDir: config.FIELDWISE_DATA_DIR })
    : [];
  const server = await startGrpcServer({
    host: config.FIELDWISE_GRPC_HOST,
    port: config.GRPC_PORT,
    services: [createIdentityService(name), ...own],
    verifier,
    logger,
    handleSignals: options.handleSignals ?? true,
    drainTimeoutMs: config.SHUTDOWN_GRACE,
  });
  logger.info(
    {
      address: server.address,
      tracing: telemetry.exporter,
      principalKey: config.FIELDWISE_PRINCIPAL_KEY ? 'configured' : 'dev-file',
    },
    `${name} service listening`,
  );
  const finished = server.stopped.then(async (result) => {
    logger.info({ signal: result.signal, forced: result.forced }, 'drained');
    await options.onShutdown?.();
    await telemetry.shutdown();
    logger.info('stopped');
    return result;
  });
  // Callers wait for the whole shutdown (stores closed, telemetry flushed), not just the drain.
  return {
    port: server.port,
    address: server.address,
    server: server.server,
    get activeCalls() {
      return server.activeCalls;
    },
    setServing: (serving) => server.setServing(serving),
    drain: async (drainOptions) => {
      await server.drain(drainOptions);
      return finished;
    },
    stopped: finished,
  };
}
