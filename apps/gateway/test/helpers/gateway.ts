import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { pino, type Logger } from 'pino';
import { createPrincipalSigner } from '@fieldwise/principal';
import { buildServer, type GatewayDeps } from '../../src/server.js';
import type { IdentityClient } from '../../src/clients/identity-client.js';
import { cannedAgent } from './fake-agent.js';
import { loadGatewayConfig, type GatewayConfig } from '../../src/config.js';
import {
  createGovernance,
  type RunningGovernance,
} from '../../src/governance.js';

export const ISSUER = 'fieldwise-test';
export const AUDIENCE = 'fieldwise-api';

/** A gateway built exactly as main.ts builds it, with test keys and a given identity port. */
export interface TestGateway {
  app: FastifyInstance;
  jwtSecret: Uint8Array;
  principalKey: Uint8Array;
  config: GatewayConfig;
  governance: RunningGovernance;
  /** The gateway's data dir (policy copy, audit outbox); removed on close. */
  dataDir: string;
  token(
    claims?: Partial<TokenClaims>,
    options?: { expiresIn?: string | number; secret?: Uint8Array },
  ): Promise<string>;
}

export interface TokenClaims {
  sub: string;
  tenant: string;
  roles: string[];
  territories: string[];
}

/** Options of {@link buildTestGateway} beyond dependency overrides. */
export interface TestGatewayOptions {
  /** Environment for the gateway config (FIELDWISE_DATA_DIR is a fresh temp dir unless given). */
  env?: Record<string, string>;
  /** Share the JWT secret with another test gateway (replicas). */
  jwtSecret?: Uint8Array;
  /** Redis key prefix; unique per test so runs never share counters. */
  redisKeyPrefix?: string;
  logger?: Logger;
}

export async function buildTestGateway(
  identity: IdentityClient,
  overrides: Partial<GatewayDeps> = {},
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  const jwtSecret = options.jwtSecret ?? new Uint8Array(randomBytes(32));
  const principalKey = new Uint8Array(randomBytes(32));
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-gateway-'));
  const logger = options.logger ?? pino({ level: 'silent' });
  const config = loadGatewayConfig({
    FIELDWISE_DATA_DIR: dataDir,
    ...options.env,
  });
  const governance = await createGovernance(config, {
    logger,
    redisKeyPrefix:
      options.redisKeyPrefix ??
      `fieldwise:test:${randomBytes(6).toString('hex')}:`,
  });
  const app = await buildServer({
    logger,
    jwt: {
      kind: 'hs256',
      secret: jwtSecret,
      issuer: ISSUER,
      audience: AUDIENCE,
    },
    clockToleranceSeconds: 5,
    signer: createPrincipalSigner({ key: principalKey }),
    identity,
    agent: cannedAgent(),
    health: {
      readiness: () => Promise.resolve({ test: { ok: true } }),
      isAcceptingTraffic: () => true,
    },
    bodyLimitBytes: 64 * 1024,
    governance: governance.governance,
    ...overrides,
  });
  app.addHook('onClose', async () => {
    await governance.close(500);
    rmSync(dataDir, { recursive: true, force: true });
  });
  await app.ready();
  return {
    app,
    jwtSecret,
    principalKey,
    config,
    governance,
    dataDir,
    token: async (claims = {}, tokenOptions = {}) => {
      const { sub = 'u-seller-1', ...rest } = claims;
      return new SignJWT({
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east'],
        ...rest,
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(tokenOptions.expiresIn ?? '5m')
        .sign(tokenOptions.secret ?? jwtSecret);
    },
  };
}

/** Identity port double that echoes the principal token's holder as a fixed service view. */
export const echoIdentity: IdentityClient = {
  whoAmI: (service) =>
    Promise.resolve({
      service,
      principal: {
        userId: 'u-seller-1',
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east'],
      },
      traceId: '',
      spanId: '',
      receivedAt: new Date(0).toISOString(),
    }),
};
