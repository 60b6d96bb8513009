import { join } from 'node:path';
import type { DestinationStream, Logger } from 'pino';
import { configWarnings } from '@fieldwise/config';
import {
  createPrincipalVerifier,
  loadOrCreateSecret,
  resolveKey,
} from '@fieldwise/principal';
import {
  createLogger,
  createServiceMetrics,
  startTelemetry,
  type ServiceMetrics,
} from '@fieldwise/telemetry';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server.js';
import { createIdentityService } from './identity-service.js';
import type { ServiceRegistration } from './implement-service.js';
import {
  evaluateReadiness,
  startOpsServer,
  type OpsPhase,
  type OpsServer,
  type OpsServerOptions,
  type ReadinessReport,
} from './ops-server.js';

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
  /** Port of the HTTP listener for `/metrics`, `/healthz` and `/readyz`; absent: none. */
  readonly METRICS_PORT?: number | undefined;
}

/** What a service's own wiring receives to build its handlers. */
export interface ServiceRuntime {
  readonly logger: Logger;
  readonly dataDir: string;
  /** The process's Prometheus series (register outboxes, count domain events). */
  readonly metrics: ServiceMetrics;
  /**
   * Adds a hard dependency to readiness: the service is ready only while
   * `check` resolves (within {@link READINESS_CHECK_TIMEOUT_MS}). `/readyz`
   * and the gRPC health status follow it.
   */
  readonly addReadinessCheck: (
    name: string,
    check: () => Promise<unknown>,
  ) => void;
}

/** A readiness check slower than this counts as failed. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/** How often the gRPC health status is brought in line with readiness. */
const READINESS_POLL_MS = 5_000;

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
  /** The metrics registry to use (tests read it directly); default a new one. */
  readonly metrics?: ServiceMetrics;
}

/** A running service: its gRPC server plus metrics and readiness. */
export interface RunningService extends RunningGrpcServer {
  readonly metrics: ServiceMetrics;
  /** Bound port of the metrics/probe listener, when METRICS_PORT is set. */
  readonly metricsPort: number | undefined;
  /** The readiness verdict as `/readyz` reports it. */
  ready(): Promise<{ ready: boolean; checks: ReadinessReport }>;
}

/** Runs every check with a time bound; a rejection or timeout is `ok: false` with its message. */
async function runChecks(
  checks: ReadonlyMap<string, () => Promise<unknown>>,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    [...checks].map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_resolve, reject) => {
            timer = setTimeout(
              () => reject(new Error('timed out')),
              READINESS_CHECK_TIMEOUT_MS,
            );
          }),
        ]);
        return [name, { ok: true }] as const;
      } catch (error) {
        return [
          name,
          { ok: false, detail: (error as Error).message || 'failed' },
        ] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report: ReadinessReport = {};
  for (const [name, result] of entries) report[name] = result;
  return report;
}

/**
 * The metrics/probe listener, if configured. Metrics are telemetry: a port
 * that cannot be bound is a warning, never a reason not to serve.
 */
async function startOpsListener(
  config: ServiceRuntimeConfig,
  options: Omit<OpsServerOptions, 'host' | 'port'>,
): Promise<OpsServer | undefined> {
  if (config.METRICS_PORT === undefined) return undefined;
  try {
    return await startOpsServer({
      host: config.FIELDWISE_GRPC_HOST,
      port: config.METRICS_PORT,
      ...options,
    });
  } catch (error) {
    options.logger.warn(
      { port: config.METRICS_PORT, err: error },
      'metrics and probe listener not started',
    );
    return undefined;
  }
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
): Promise<RunningService> {
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
  const metrics = options.metrics ?? createServiceMetrics({ service: name });
  const checks = new Map<string, () => Promise<unknown>>();
  const life: { server?: RunningGrpcServer; stopping: boolean } = {
    stopping: false,
  };
  const phase = (): OpsPhase =>
    life.stopping || life.server?.draining
      ? 'draining'
      : life.server
        ? 'serving'
        : 'starting';
  // Up before the stores open, so liveness answers during a long start.
  const ops = await startOpsListener(config, {
    metrics,
    phase,
    readiness: () => runChecks(checks),
    logger,
  });
  const verifier = createPrincipalVerifier({
    key: await resolvePrincipalKey(config),
  });
  let own: readonly ServiceRegistration[];
  try {
    own = options.services
      ? await options.services({
          logger,
          dataDir: config.FIELDWISE_DATA_DIR,
          metrics,
          addReadinessCheck: (checkName, check) => {
            checks.set(checkName, check);
          },
        })
      : [];
  } catch (error) {
    await ops?.close();
    await telemetry.shutdown();
    throw error;
  }
  const server = await startGrpcServer({
    host: config.FIELDWISE_GRPC_HOST,
    port: config.GRPC_PORT,
    services: [createIdentityService(name), ...own],
    verifier,
    logger,
    handleSignals: options.handleSignals ?? true,
    drainTimeoutMs: config.SHUTDOWN_GRACE,
    metrics,
  });
  life.server = server;
  // gRPC health (what Kubernetes gRPC probes read) follows the dependencies.
  const syncHealth = async () => {
    const report = await runChecks(checks);
    if (server.draining) return;
    server.setServing(Object.values(report).every((check) => check.ok));
  };
  const healthPoll =
    checks.size === 0
      ? undefined
      : setInterval(() => void syncHealth(), READINESS_POLL_MS);
  healthPoll?.unref();
  if (checks.size > 0) await syncHealth();
  logger.info(
    {
      address: server.address,
      tracing: telemetry.exporter,
      principalKey: config.FIELDWISE_PRINCIPAL_KEY ? 'configured' : 'dev-file',
      metricsPort: ops?.port,
    },
    `${name} service listening`,
  );
  const finished = server.stopped.then(async (result) => {
    life.stopping = true;
    clearInterval(healthPoll);
    logger.info({ signal: result.signal, forced: result.forced }, 'drained');
    await options.onShutdown?.();
    await ops?.close();
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
    get draining() {
      return server.draining;
    },
    metrics,
    metricsPort: ops?.port,
    ready: async () =>
      ops ? ops.check() : evaluateReadiness(phase(), () => runChecks(checks)),
    setServing: (serving) => server.setServing(serving),
    drain: async (drainOptions) => {
      await server.drain(drainOptions);
      return finished;
    },
    stopped: finished,
  };
}
