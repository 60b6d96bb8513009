import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@fieldwise/testing';
import {
  spawnService,
  waitReady,
  type ServiceProcess,
} from './service-process.js';

describe('crm readiness follows its database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-ready-'));
  let crm: ServiceProcess | undefined;

  afterAll(async () => {
    await crm?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stays alive but answers 503 naming the database while PostgreSQL is unreachable', async () => {
    const [grpcPort, metricsPort, deadPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    crm = spawnService('crm-service', {
      FIELDWISE_DATA_DIR: dataDir,
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(metricsPort),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/test`,
    });
    const base = `http://127.0.0.1:${metricsPort}`;
    // 1. Liveness answers: the process is up and retrying, not crash-looping.
    await waitReady(`${base}/healthz`);
    // 2. Once the first attempt to open the store failed, readiness names it.
    await waitFor(
      () =>
        crm?.lines.some(
          (line) => line['msg'] === 'crm store unavailable; retrying',
        ) ?? false,
      { timeoutMs: 30_000, description: 'a failed attempt to open the store' },
    );
    const response = await fetch(`${base}/readyz`);
    const status = response.status;
    const report: unknown = await response.json();
    expect(status).toBe(503);
    expect(report).toMatchObject({
      ready: false,
      checks: {
        database: {
          ok: false,
          detail: 'crm store (postgres) is unavailable',
        },
        service: { ok: false, detail: 'starting' },
      },
    });
  }, 60_000);
});
