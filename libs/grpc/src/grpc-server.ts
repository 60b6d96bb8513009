import { Server, ServerCredentials, type ChannelOptions } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { FieldwiseError } from '@fieldwise/errors';
import type { PrincipalVerifier } from '@fieldwise/principal';
import type { ServiceMetrics } from '@fieldwise/telemetry';
import type { DeadlineOptions } from './call-deadline.js';
import { CallRegistry } from './call-registry.js';
import type { ServiceRegistration } from './implement-service.js';
import { routeGrpcLogs } from './grpc-js-logging.js';
import { createServerInterceptor } from './server-interceptor.js';

/** Settings of {@link startGrpcServer}. */
export interface GrpcServerOptions {
  /** Interface to bind; default `0.0.0.0`. */
  readonly host?: string;
  /** Port to bind; 0 picks a free one (see {@link RunningGrpcServer.port}). */
  readonly port: number;
  /** Services built with implementService. */
  readonly services: readonly ServiceRegistration[];
  /** Checks `x-fieldwise-principal` on every call except health and reflection. */
  readonly verifier: PrincipalVerifier;
  /** Receives one line per call and the server's lifecycle events. */
  readonly logger: Logger;
  /** Default and maximum server-side deadlines. */
  readonly deadlines?: DeadlineOptions;
  /** Serve gRPC reflection for these protos (load them with @grpc/proto-loader). */
  readonly reflection?: PackageDefinition;
  /** Default insecure: services sit behind the gateway on a private network. */
  readonly credentials?: ServerCredentials;
  /** Extra grpc-js options; they override the keep-alive defaults. */
  readonly channelOptions?: ChannelOptions;
  /**
   * Drain on SIGTERM/SIGINT and then settle {@link RunningGrpcServer.stopped};
   * a second signal forces the shutdown. The process is never exited here.
   */
  readonly handleSignals?: boolean;
  /** Bound of a drain started by a signal; default 10 s. */
  readonly drainTimeoutMs?: number;
  /** Counts every application call by method and status, with its duration. */
  readonly metrics?: ServiceMetrics;
}

/** Settings of {@link RunningGrpcServer.drain}. */
export interface DrainOptions {
  /** How long in-flight unary calls may take before they are cut off; default 10 s. */
  readonly timeoutMs?: number;
  /**
   * How long an interrupted server stream may take to write its last event
   * and return before it is ended with UNAVAILABLE; default 2 s (never more
   * than `timeoutMs`).
   */
  readonly streamGraceMs?: number;
}

/** How a server stopped. */
export interface ServerStopResult {
  /** The signal that started the drain, if one did. */
  readonly signal: NodeJS.Signals | undefined;
  /** True when calls were still open at the bound and were cut off. */
  readonly forced: boolean;
}

/** A bound, serving gRPC server. */
export interface RunningGrpcServer {
  /** The bound port (the chosen one when asked for 0). */
  readonly port: number;
  /** `host:port` as bound. */
  readonly address: string;
  /** The underlying grpc-js server, for what this wrapper does not cover. */
  readonly server: Server;
  /** Calls in flight right now. */
  readonly activeCalls: number;
  /** True once a drain began (new calls are refused). */
  readonly draining: boolean;
  /** Reports SERVING or NOT_SERVING for the server ("") and each service. */
  setServing(serving: boolean): void;
  /**
   * Stops gracefully: reports NOT_SERVING, refuses new calls, aborts the
   * signal of open server streams with SHUTTING_DOWN so their handlers can
   * write a last (retryable error) event, ends those still open after
   * `streamGraceMs` with UNAVAILABLE/SHUTTING_DOWN (clients may retry
   * elsewhere), lets unary calls finish, then after `timeoutMs` aborts what
   * is left the same way and forces the shutdown. Idempotent.
   */
  drain(options?: DrainOptions): Promise<ServerStopResult>;
  /** Settles once a drain (by signal or by {@link drain}) completed. */
  readonly stopped: Promise<ServerStopResult>;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
const DEFAULT_STREAM_GRACE_MS = 2_000;

/** How long idle connections may linger once no call is in flight. */
const IDLE_CONNECTION_GRACE_MS = 250;

/** Keep-alive that notices dead peers within about a minute without chattering. */
const KEEPALIVE_DEFAULTS: ChannelOptions = {
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.max_connection_idle_ms': 10 * 60_000,
};

/**
 * Builds and binds a gRPC server with health checking (`grpc.health.v1`,
 * overall and per service), optional reflection, the given services and the
 * Fieldwise interceptor (principal, deadlines, tracing, logging). Routes
 * grpc-js's own diagnostics to `logger` (see routeGrpcLogs). Resolves once
 * it accepts calls and reports SERVING.
 * @throws FieldwiseError CONFIG_INVALID when the address cannot be bound or
 * two registrations share a service name.
 */
export async function startGrpcServer(
  options: GrpcServerOptions,
): Promise<RunningGrpcServer> {
  const logger = options.logger;
  routeGrpcLogs(logger);
  const registry = new CallRegistry();
  const server = new Server({
    ...KEEPALIVE_DEFAULTS,
    ...options.channelOptions,
    interceptors: [
      createServerInterceptor({
        verifier: options.verifier,
        logger,
        deadlines: options.deadlines ?? {},
        registry,
        ...(options.metrics ? { metrics: options.metrics } : {}),
      }),
    ],
  });

  const serviceNames = options.services.map((service) => service.name);
  if (new Set(serviceNames).size !== serviceNames.length) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      'A service is registered twice',
      {
        context: { services: serviceNames.join(',') },
      },
    );
  }
  const health = new HealthImplementation();
  health.addToServer(server);
  if (options.reflection) {
    new ReflectionService(options.reflection).addToServer(server);
  }
  for (const service of options.services) {
    server.addService(service.definition, service.implementation);
  }

  const host = options.host ?? '0.0.0.0';
  const port = await bind(
    server,
    `${host}:${options.port}`,
    options.credentials ?? ServerCredentials.createInsecure(),
  );
  const address = `${host}:${port}`;

  const setServing = (serving: boolean) => {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of ['', ...serviceNames]) health.setStatus(name, status);
  };
  setServing(true);

  let resolveStopped!: (result: ServerStopResult) => void;
  const stopped = new Promise<ServerStopResult>((resolve) => {
    resolveStopped = resolve;
  });
  let draining: Promise<ServerStopResult> | undefined;
  let forceNow: (() => void) | undefined;

  const drain = (
    drainOptions: DrainOptions = {},
    signal?: NodeJS.Signals,
  ): Promise<ServerStopResult> => {
    draining ??= (async () => {
      const timeoutMs = drainOptions.timeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
      logger.info(
        { address, activeCalls: registry.size, signal },
        'grpc server draining',
      );
      setServing(false);
      registry.startDraining();
      registry.interruptStreams(new FieldwiseError('SHUTTING_DOWN'));
      const streamGrace = setTimeout(
        () => registry.endStreams(new FieldwiseError('SHUTTING_DOWN')),
        Math.min(
          drainOptions.streamGraceMs ?? DEFAULT_STREAM_GRACE_MS,
          timeoutMs,
        ),
      );
      const closed = new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      });
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<'forced'>((resolve) => {
        forceNow = () => resolve('forced');
        timer = setTimeout(forceNow, timeoutMs);
      });
      // tryShutdown also waits for idle client connections (keep-alive
      // channels of the gateway) to go away; once no call is in flight there
      // is nothing left to protect, so close those connections after a grace.
      let idlePoll: NodeJS.Timeout | undefined;
      const idle = new Promise<'idle'>((resolve) => {
        const check = () => {
          if (registry.size === 0) {
            idlePoll = setTimeout(
              () => resolve('idle'),
              IDLE_CONNECTION_GRACE_MS,
            );
          } else {
            idlePoll = setTimeout(check, 50);
          }
        };
        check();
      });
      const outcome = await Promise.race([
        closed.then(() => 'closed' as const),
        idle,
        bound,
      ]);
      clearTimeout(timer);
      clearTimeout(idlePoll);
      clearTimeout(streamGrace);
      const forced = outcome === 'forced';
      if (forced) registry.endAll(new FieldwiseError('SHUTTING_DOWN'));
      if (outcome !== 'closed') server.forceShutdown();
      const result = { signal, forced };
      logger.info({ address, forced }, 'grpc server stopped');
      resolveStopped(result);
      return result;
    })();
    return draining;
  };

  if (options.handleSignals) {
    installSignalHandlers((signal) => {
      if (draining) {
        forceNow?.();
        return;
      }
      void drain({ timeoutMs: options.drainTimeoutMs }, signal);
    }, stopped);
  }

  logger.info({ address, services: serviceNames }, 'grpc server listening');
  return {
    port,
    address,
    server,
    get activeCalls() {
      return registry.size;
    },
    get draining() {
      return registry.draining;
    },
    setServing,
    drain: (drainOptions) => drain(drainOptions),
    stopped,
  };
}

function bind(
  server: Server,
  address: string,
  credentials: ServerCredentials,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => {
      if (error) {
        server.forceShutdown();
        reject(
          new FieldwiseError(
            'CONFIG_INVALID',
            `Cannot bind gRPC server to ${address}`,
            {
              cause: error,
              context: { address },
            },
          ),
        );
        return;
      }
      resolve(port);
    });
  });
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

function installSignalHandlers(
  onSignal: (signal: NodeJS.Signals) => void,
  stopped: Promise<ServerStopResult>,
): void {
  const listener = (signal: NodeJS.Signals) => onSignal(signal);
  for (const signal of SIGNALS) process.on(signal, listener);
  void stopped.then(() => {
    for (const signal of SIGNALS) process.off(signal, listener);
  });
}
