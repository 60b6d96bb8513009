import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import { principalSchema, type Principal } from './principal.js';
import { resolveKey, type PrincipalKey } from './principal-key.js';
import {
  DEFAULT_PRINCIPAL_AUDIENCE,
  DEFAULT_PRINCIPAL_ISSUER,
  PRINCIPAL_ALGORITHM,
  principalToClaims,
} from './token-claims.js';

/** Settings of {@link createPrincipalSigner}. */
export interface PrincipalSignerOptions {
  /** Shared HS256 secret: bytes, or base64 text from config; at least 32 bytes. */
  readonly key: PrincipalKey;
  /** `iss` claim; defaults to `fieldwise-gateway`. */
  readonly issuer?: string;
  /** `aud` claim; defaults to `fieldwise-services`. */
  readonly audience?: string;
  /** Token lifetime; defaults to 60 seconds: tokens cover one call chain, not a session. */
  readonly ttlSeconds?: number;
}

/** Per-token overrides of {@link PrincipalSigner.sign}. */
export interface PrincipalSignOptions {
  readonly ttlSeconds?: number;
  readonly audience?: string;
}

/** Signs principals into short-lived tokens for the `x-fieldwise-principal` metadata. */
export interface PrincipalSigner {
  /**
   * Validates `principal` and signs it as an HS256 JWT with `sub`, `iat`,
   * `exp`, a fresh `jti`, `iss` and `aud`.
   * @throws ValidationError when the principal does not match {@link principalSchema}.
   */
  sign(principal: Principal, options?: PrincipalSignOptions): Promise<string>;
}

/**
 * Creates a signer bound to one key.
 * @throws FieldwiseError CONFIG_INVALID for a short or malformed key, or a non-positive TTL.
 */
export function createPrincipalSigner(
  options: PrincipalSignerOptions,
): PrincipalSigner {
  const key = resolveKey(options.key);
  const issuer = options.issuer ?? DEFAULT_PRINCIPAL_ISSUER;
  const defaultAudience = options.audience ?? DEFAULT_PRINCIPAL_AUDIENCE;
  const defaultTtl = checkTtl(options.ttlSeconds ?? 60);

  return {
    async sign(principal, signOptions = {}) {
      const parsed = principalSchema.safeParse(principal);
      if (!parsed.success) {
        throw new ValidationError(
          parsed.error.issues.map((issue) => ({
            field: issue.path.join('.'),
            message: issue.message,
          })),
        );
      }
      const ttl = checkTtl(signOptions.ttlSeconds ?? defaultTtl);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(principalToClaims(parsed.data))
        .setProtectedHeader({ alg: PRINCIPAL_ALGORITHM, typ: 'JWT' })
        .setSubject(parsed.data.userId)
        .setIssuer(issuer)
        .setAudience(signOptions.audience ?? defaultAudience)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .setJti(randomUUID())
        .sign(key);
    },
  };
}

function checkTtl(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      'Principal token TTL must be a positive whole number of seconds',
      { context: { ttlSeconds } },
    );
  }
  return ttlSeconds;
}
