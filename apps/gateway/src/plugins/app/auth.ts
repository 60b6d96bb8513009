import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AuthenticationError } from '@fieldwise/errors';
import { principalSchema, type Principal } from '@fieldwise/principal';
import type { ApiKeyIdentity } from '../../api-keys/api-keys.js';

/** How the gateway verifies bearer tokens. */
export type JwtVerification =
  | { kind: 'hs256'; secret: Uint8Array; issuer?: string; audience?: string }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string };

export interface AuthOptions {
  jwt: JwtVerification;
  /** Bound on accepted clock skew between the issuer and this gateway. */
  clockToleranceSeconds: number;
  /**
   * Verifies service-account API keys (`Authorization: ApiKey <key>` or
   * `X-API-Key`); absent, API keys are refused as invalid credentials.
   */
  apiKeys?: (key: string) => Promise<ApiKeyIdentity>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by `request.authenticate()`. */
    principal: Principal | undefined;
    /** Set when the caller authenticated with a service-account API key. */
    apiKey: ApiKeyIdentity | undefined;
    authenticate(): Promise<Principal>;
  }
}

/** Claims Fieldwise reads from a bearer token besides `sub`. */
interface FieldwiseClaims extends JWTPayload {
  tenant?: unknown;
  roles?: unknown;
  territories?: unknown;
  name?: unknown;
  email?: unknown;
}

/**
 * Turns a verified JWT into a principal. Identity comes only from signed
 * claims: roles in headers or bodies are never read.
 */
export function principalFromClaims(claims: FieldwiseClaims): Principal {
  const parsed = principalSchema.safeParse({
    userId: claims.sub,
    tenant: claims.tenant,
    roles: claims.roles,
    territories: claims.territories ?? [],
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
  });
  if (!parsed.success) {
    throw new AuthenticationError(
      'AUTH_INVALID',
      'Token claims do not describe a Fieldwise user',
    );
  }
  return parsed.data;
}

/** The credential a request presents; the key or token itself is never logged. */
type Credential =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'api-key'; readonly key: string };

function credentialOf(request: FastifyRequest): Credential {
  const header = request.headers.authorization;
  const apiKeyHeader = request.headers['x-api-key'];
  if (apiKeyHeader !== undefined) {
    // Two credentials at once would leave it unclear who is calling.
    if (header !== undefined || typeof apiKeyHeader !== 'string') {
      throw new AuthenticationError(
        'AUTH_INVALID',
        'Send exactly one credential: an Authorization header or X-API-Key',
      );
    }
    return { kind: 'api-key', key: apiKeyHeader.trim() };
  }
  if (!header)
    throw new AuthenticationError(
      'AUTH_MISSING',
      'Send an Authorization: Bearer token or an API key',
    );
  const match = /^(Bearer|ApiKey)\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  if (!match?.[1] || !match[2]) {
    throw new AuthenticationError(
      'AUTH_INVALID',
      'Authorization header is not a bearer token or an API key',
    );
  }
  return match[1].toLowerCase() === 'apikey'
    ? { kind: 'api-key', key: match[2] }
    : { kind: 'bearer', token: match[2] };
}

/** Most verified tokens kept; the cache starts over when it is full. */
const VERIFIED_CACHE_SIZE = 10_000;
/** Longest a verified token is trusted without checking it again. */
const VERIFIED_CACHE_MS = 60_000;

/**
 * Verifies a bearer token and returns its (frozen) principal; throws typed
 * auth errors. A verified token is remembered until it expires, at most a
 * minute, so a busy client does not pay signature verification on every
 * request while a rotated key still takes effect within that minute.
 */
export function createTokenVerifier(
  options: AuthOptions,
): (token: string) => Promise<Principal> {
  const verify = createUncachedTokenVerifier(options);
  const verified = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && hit.until > now) return hit.principal;
    const { principal, expiresAt } = await verify(token);
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
    verified.set(token, {
      principal,
      until: Math.min(expiresAt, now + VERIFIED_CACHE_MS),
    });
    return principal;
  };
}

function createUncachedTokenVerifier(
  options: AuthOptions,
): (token: string) => Promise<{ principal: Principal; expiresAt: number }> {
  const { jwt } = options;
  const key: Uint8Array | JWTVerifyGetKey =
    jwt.kind === 'hs256'
      ? jwt.secret
      : createRemoteJWKSet(new URL(jwt.jwksUrl));
  const algorithms = jwt.kind === 'hs256' ? ['HS256'] : ['RS256', 'ES256'];
  return async (token) => {
    try {
      const { payload } = await jwtVerify<FieldwiseClaims>(
        token,
        // jose overloads split on the key type; both branches are valid keys.
        key as Uint8Array,
        {
          algorithms,
          clockTolerance: options.clockToleranceSeconds,
          requiredClaims: ['sub', 'exp'],
          ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
          ...(jwt.audience ? { audience: jwt.audience } : {}),
        },
      );
      const principal = principalFromClaims(payload);
      Object.freeze(principal.roles);
      Object.freeze(principal.territories);
      // `exp` is a required claim, checked above.
      return {
        principal: Object.freeze(principal),
        expiresAt: (payload.exp ?? 0) * 1000,
      };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof joseErrors.JWTExpired) {
        throw new AuthenticationError(
          'AUTH_EXPIRED',
          'The bearer token has expired',
        );
      }
      throw new AuthenticationError(
        'AUTH_INVALID',
        'The bearer token is not valid',
        { cause: error },
      );
    }
  };
}

/**
 * Decorates requests with `authenticate()`; routes opt in through a hook.
 * Bearer tokens and service-account API keys are accepted; identity and
 * roles come only from the verified credential.
 */
export const authPlugin = fp<AuthOptions>(
  (app, options, done) => {
    const verify = createTokenVerifier(options);
    const verifyApiKey = options.apiKeys;
    app.decorateRequest('principal', undefined);
    app.decorateRequest('apiKey', undefined);
    app.decorateRequest('authenticate', async function (this: FastifyRequest) {
      if (this.principal) return this.principal;
      const credential = credentialOf(this);
      if (credential.kind === 'bearer') {
        this.principal = await verify(credential.token);
        return this.principal;
      }
      if (!verifyApiKey) {
        throw new AuthenticationError(
          'AUTH_INVALID',
          'API keys are not accepted by this gateway',
        );
      }
      const identity = await verifyApiKey(credential.key);
      this.apiKey = identity;
      this.principal = identity.principal;
      return this.principal;
    });
    done();
  },
  { name: 'auth' },
);
