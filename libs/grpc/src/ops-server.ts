import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FieldwiseError } from '@fieldwise/errors';
import type { ServiceMetrics } from '@fieldwise/telemetry';

/** Result of each readiness check: `ok`, or why it is not. */
export type ReadinessReport = Record<
  string,
  { readonly ok: boolean; readonly detail?: string }
>;

/** Checks a service's hard dependencies; never throws (a throw counts as not ready). */
export type ReadinessCheck = () => Promise<ReadinessReport>;

/** Settings of {@link startOpsServer}. */
export interface OpsServerOptions {
  readonly host: string;
  /** 0 picks a free port (see {@link OpsServer.port}). */
  readonly port: number;
  readonly metrics: ServiceMetrics;
  /** The service's own state: `starting`, `serving` or `draining`. */
  readonly phase: () => OpsPhase;
  /** Hard dependencies (database, ...); absent means none. */
  readonly readiness?: ReadinessCheck;
  readonly logger: Logger;
}

/** Where a service is in its life: only `serving` can be ready. */
export type OpsPhase = 'starting' | 'serving' | 'draining';

/** The bound operations listener. */
export interface OpsServer {
  readonly port: number;
  /** Runs the readiness checks as `/readyz` does. */
  check(): Promise<{ ready: boolean; checks: ReadinessReport }>;
  close(): Promise<void>;
}

/**
 * Runs the readiness checks plus the service phase into one verdict. A check
 * that throws is reported as not ok with its message.
 */
export async function evaluateReadiness(
  phase: OpsPhase,
  readiness: ReadinessCheck | undefined,
): Promise<{ ready: boolean; checks: ReadinessReport }> {
  let checks: ReadinessReport = {};
  try {
    checks = readiness ? await readiness() : {};
  } catch (error) {
    checks = {
      dependencies: { ok: false, detail: (error as Error).message },
    };
  }
  const all: ReadinessReport = {
    ...checks,
    service: phase === 'serving' ? { ok: true } : { ok: false, detail: phase },
  };
  return { ready: Object.values(all).every((c) => c.ok), checks: all };
}

/**
 * The small HTTP listener a gRPC service runs beside its gRPC port for the
 * platform: `GET /metrics` (Prometheus text), `GET /healthz` (liveness: the
 * process answers) and `GET /readyz` (200 when serving and every hard
 * dependency answers, else 503, with a JSON report). Nothing else is served.
 * @throws FieldwiseError CONFIG_INVALID when the address cannot be bound.
 */
export async function startOpsServer(
  options: OpsServerOptions,
): Promise<OpsServer> {
  const check = () => evaluateReadiness(options.phase(), options.readiness);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const json = (status: number, body: unknown) => {
      response
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    };
    switch (path) {
      case '/metrics':
        options.metrics.render().then(
          (text) => {
            response
              .writeHead(200, { 'content-type': options.metrics.contentType })
              .end(text);
          },
          (error: unknown) => {
            options.logger.error({ err: error }, 'metrics scrape failed');
            json(500, { error: 'metrics unavailable' });
          },
        );
        return;
      case '/healthz':
        json(200, { status: 'ok' });
        return;
      case '/readyz':
        void check().then((result) => json(result.ready ? 200 : 503, result));
        return;
      default:
        json(404, { error: 'not found' });
    }
  });
  // Probes and scrapes are short; idle keep-alive sockets must not hold a drain.
  server.keepAliveTimeout = 1_000;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        new FieldwiseError(
          'CONFIG_INVALID',
          `Cannot bind the metrics listener to ${options.host}:${options.port}`,
          { cause: error, context: { port: options.port } },
        ),
      );
    });
    server.listen(options.port, options.host, () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
  options.logger.info(
    { address: `${options.host}:${port}` },
    'metrics and probes listening',
  );
  return {
    port,
    check,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
