import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrincipalSigner } from '@fieldwise/principal';
import { METRIC_NAMES, createServiceMetrics } from '@fieldwise/telemetry';
import { parsePrometheusText, sampleValue } from '@fieldwise/telemetry/testing';
import {
  createGrpcClient,
  implementService,
  resolvePrincipalKey,
  runGrpcService,
  type RunningService,
} from '../src/index.js';
import { HealthClient } from './support/health-client.js';
import { seller } from './support/harness.js';
import {
  createObservations,
  testHandlers,
  TestServiceService,
} from './support/test-service.js';

const silent = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

interface Started {
  readonly service: RunningService;
  readonly dataDir: string;
  readonly dependency: { up: boolean };
}

let started: Started | undefined;

afterEach(async () => {
  if (!started) return;
  await started.service.drain({ timeoutMs: 1_000 });
  rmSync(started.dataDir, { recursive: true, force: true });
  started = undefined;
});

async function start(dependencyUp: boolean): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-ops-'));
  const dependency = { up: dependencyUp };
  const observed = createObservations();
  const service = await runGrpcService({
    name: 'test',
    config: {
      FIELDWISE_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      FIELDWISE_GRPC_HOST: '127.0.0.1',
      GRPC_PORT: 0,
      SHUTDOWN_GRACE: 2_000,
      METRICS_PORT: 0,
    },
    handleSignals: false,
    logDestination: silent,
    metrics: createServiceMetrics({ service: 'test', processMetrics: false }),
    services: (runtime) => {
      runtime.addReadinessCheck('database', () =>
        dependency.up
          ? Promise.resolve()
          : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
      );
      return Promise.resolve([
        implementService(TestServiceService, testHandlers(observed)),
      ]);
    },
  });
  started = { service, dataDir, dependency };
  return started;
}

function opsUrl(service: RunningService, path: string): string {
  return `http://127.0.0.1:${String(service.metricsPort)}${path}`;
}

describe('runGrpcService operations listener', () => {
  it('serves per-RPC request, error and duration series on /metrics', async () => {
    const { service, dataDir } = await start(true);
    const client = createGrpcClient(
      TestServiceService,
      `127.0.0.1:${service.port}`,
      { defaultDeadlineMs: 5_000, retry: { maxAttempts: 1 } },
    );
    const signer = createPrincipalSigner({
      key: await resolvePrincipalKey({ FIELDWISE_DATA_DIR: dataDir }),
    });
    const principalToken = await signer.sign(seller);
    await client.echo({ text: 'hi' }, { principalToken });
    await expect(
      client.fail({ kind: 'not-found' }, { principalToken }),
    ).rejects.toThrow();
    client.close();

    const response = await fetch(opsUrl(service, '/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parsePrometheusText(await response.text());
    const echo = '/fieldwise.test.v1.TestService/Echo';
    const fail = '/fieldwise.test.v1.TestService/Fail';
    expect(
      sampleValue(samples, METRIC_NAMES.rpcHandled, {
        method: echo,
        code: 'OK',
        service: 'test',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, METRIC_NAMES.rpcErrors, {
        method: fail,
        code: 'NOT_FOUND',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, `${METRIC_NAMES.rpcDuration}_count`, {
        method: echo,
      }),
    ).toBe(1);
    // Health checks are infrastructure, not traffic.
    expect(
      samples.some((s) => s.labels['method']?.includes('grpc.health')),
    ).toBe(false);
  });

  it('is ready while the dependency answers, and 503 naming it when it does not', async () => {
    const { service, dependency } = await start(true);
    const ok = await fetch(opsUrl(service, '/readyz'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ready: true,
      checks: { database: { ok: true }, service: { ok: true } },
    });

    dependency.up = false;
    const down = await fetch(opsUrl(service, '/readyz'));
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      ready: false,
      checks: {
        database: {
          ok: false,
          detail: expect.stringContaining('ECONNREFUSED') as unknown,
        },
      },
    });
    expect((await fetch(opsUrl(service, '/healthz'))).status).toBe(200);
  });

  it('reports NOT_SERVING over gRPC health when a dependency is down at start', async () => {
    const { service } = await start(false);
    const health = new HealthClient(`127.0.0.1:${service.port}`);
    try {
      expect(await health.check('')).toBe('NOT_SERVING');
    } finally {
      health.close();
    }
    expect((await fetch(opsUrl(service, '/readyz'))).status).toBe(503);
  });

  it('turns not ready as soon as the drain starts', async () => {
    const { service } = await start(true);
    expect((await service.ready()).ready).toBe(true);
    const drained = service.drain({ timeoutMs: 1_000 });
    expect(await service.ready()).toMatchObject({
      ready: false,
      checks: { service: { ok: false, detail: 'draining' } },
    });
    await drained;
    started = undefined;
  });
});
