import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { createPrincipalSigner } from '@fieldwise/principal';
import { buildServer, type GatewayDeps } from '../../src/server.js';
import type { IdentityClient } from '../../src/clients/identity-client.js';

export const ISSUER = 'fieldwise-test';
export const AUDIENCE = 'fieldwise-api';

/** A gateway built exactly as main.ts builds it, with test keys and a given identity port. */
export interface TestGateway {
  app: FastifyInstance;
  jwtSecret: Uint8Array;
  principalKey: Uint8Array;
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

export async function buildTestGateway(
  identity: IdentityClient,
  overrides: Partial<GatewayDeps> = {},
): Promise<TestGateway> {
  const jwtSecret = new Uint8Array(randomBytes(32));
  const principalKey = new Uint8Array(randomBytes(32));
  const app = await buildServer({
    logger: pino({ level: 'silent' }),
    jwt: {
      kind: 'hs256',
      secret: jwtSecret,
      issuer: ISSUER,
      audience: AUDIENCE,
    },
    clockToleranceSeconds: 5,
    signer: createPrincipalSigner({ key: principalKey }),
    identity,
    health: {
      readiness: () => Promise.resolve({ test: { ok: true } }),
      isAcceptingTraffic: () => true,
    },
    bodyLimitBytes: 64 * 1024,
    ...overrides,
  });
  await app.ready();
  return {
    app,
    jwtSecret,
    principalKey,
    token: async (claims = {}, options = {}) => {
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
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.secret ?? jwtSecret);
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
