import { join } from 'node:path';
import type { Logger } from 'pino';
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
  readonly services?: (runtime: ServiceRuntime) => Promise<readonly ServiceRegistration[]>;
  /** Runs after the server drained: close stores, flush outboxes. */
  readonly onShutdown?: () => Promise<void>;
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
  if (config.FIELDWISE_PRINCIPAL_KEY) return resolveKey(config.FIELDWISE_PRINCIPAL_KEY);
  return loadOrCreateSecret(devPrincipalKeyPath(config.FIELDWISE_DATA_DIR));
}

/**
 * Runs one gRPC service process: telemetry, logger, principal verification,
 * health, identity and the service's own handlers; drains on SIGTERM/SIGINT
 * and resolves when stopped. `main.ts` of each service is this call.
 */
export async function runGrpcService(options: RunServiceOptions): Promise<RunningGrpcServer> {
  const { config, name } = options;
  const logger = createLogger({
    name: config.OTEL_SERVICE_NAME ?? `${name}-service`,
    level: config.LOG_LEVEL as 'info',
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
  const verifier = createPrincipalVerifier({ key: await resolvePrincipalKey(config) });
  const own = options.services
    ? await options.services({ logger, dataDir: config.FIELDWISE_DATA_DIR })
    : [];
  const server = await startGrpcServer({
    host: config.FIELDWISE_GRPC_HOST,
    port: config.GRPC_PORT,
    services: [createIdentityService(name), ...own],
    verifier,
    logger,
    handleSignals: true,
    drainTimeoutMs: config.SHUTDOWN_GRACE,
  });
  logger.info(
    { address: server.address, tracing: telemetry.exporter, principalKey: config.FIELDWISE_PRINCIPAL_KEY ? 'configured' : 'dev-file' },
    `${name} service listening`,
  );
  void server.stopped.then(async (result) => {
    logger.info({ signal: result.signal, forced: result.forced }, 'drained');
    await options.onShutdown?.();
    await telemetry.shutdown();
    logger.info('stopped');
  });
  return server;
}
