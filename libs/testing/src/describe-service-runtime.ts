import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityServiceService } from '@fieldwise/contracts';
import type { RunServiceOptions } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';

/** Environment for a service under test: a fresh data dir, a free port, silent logs. */
export type TestServiceEnv = Record<string, string>;

/**
 * The checks every Fieldwise service passes: it starts from its own config
 * loader, answers WhoAmI with the principal it verified, rejects calls
 * without a principal as UNAUTHENTICATED, and drains cleanly. `wiring`
 * adds the service's own handlers and shutdown, as its `main.ts` does.
 */
export function describeServiceRuntime<C extends RunServiceOptions['config']>(
  name: string,
  loadConfig: (env: TestServiceEnv) => C,
  wiring?: (config: C) => Pick<RunServiceOptions, 'services' | 'onShutdown'>,
): void {
  describe(`${name} service runtime`, () => {
    let dataDir: string;
    let service: ServiceUnderTest;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), `fieldwise-${name}-`));
      const config = loadConfig({
        FIELDWISE_DATA_DIR: dataDir,
        GRPC_PORT: '0',
        LOG_LEVEL: 'silent',
      });
      service = await startServiceForTest({
        name,
        config,
        ...wiring?.(config),
      });
    });

    afterAll(async () => {
      await service?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers WhoAmI with the verified principal', async () => {
      const identity = service.client(IdentityServiceService);
      const principalToken = await service.sign({
        userId: 'u-1',
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east'],
      });
      const response = await identity.whoAmI({}, { principalToken });
      expect(response.service).toBe(name);
      expect(response.principal).toEqual({
        userId: 'u-1',
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east'],
      });
    });

    it('rejects a call without a principal token as UNAUTHENTICATED', async () => {
      const identity = service.client(IdentityServiceService);
      await expect(
        identity.whoAmI({}, { principalToken: '' }),
      ).rejects.toMatchObject({
        code: 'PRINCIPAL_MISSING',
        status: 16,
      });
    });

    it('drains and stops cleanly', async () => {
      const result = await service.server.drain({ timeoutMs: 2_000 });
      expect(result.forced).toBe(false);
    });
  });
}
