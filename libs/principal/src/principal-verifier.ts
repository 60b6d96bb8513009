import { errors as joseErrors, jwtVerify } from 'jose';
import { AuthenticationError } from '@fieldwise/errors';
import { principalSchema, type Principal } from './principal.js';
import { resolveKey, type PrincipalKey } from './principal-key.js';
import {
  claimsToPrincipalInput,
  DEFAULT_PRINCIPAL_AUDIENCE,
  DEFAULT_PRINCIPAL_ISSUER,
  PRINCIPAL_ALGORITHM,
} from './token-claims.js';

/** Settings of {@link createPrincipalVerifier}. */
export interface PrincipalVerifierOptions {
  /** The same shared secret the gateway signs with. */
  readonly key: PrincipalKey;
  /** Required `iss`; defaults to `fieldwise-gateway`. */
  readonly issuer?: string;
  /** Required `aud`; defaults to `fieldwise-services`. */
  readonly audience?: string;
  /** Clock skew tolerated on `exp`/`iat`/`nbf`; defaults to 5 seconds. */
  readonly clockToleranceSeconds?: number;
}

/** Verifies principal tokens taken from `x-fieldwise-principal`. */
export interface PrincipalVerifier {
  /**
   * Returns the principal of a valid token.
   * @throws AuthenticationError PRINCIPAL_MISSING when `token` is absent or empty,
   * PRINCIPAL_EXPIRED when it is past `exp`, PRINCIPAL_INVALID for anything
   * else (malformed, another key or algorithm, wrong issuer or audience,
   * claims that do not form a principal).
   */
  verify(token: string | undefined): Promise<Principal>;
}

/**
 * Creates a verifier bound to one key.
 * @throws FieldwiseError CONFIG_INVALID for a short or malformed key.
 */
export function createPrincipalVerifier(
  options: PrincipalVerifierOptions,
): PrincipalVerifier {
  const key = resolveKey(options.key);
  const verifyOptions = {
    algorithms: [PRINCIPAL_ALGORITHM],
    issuer: options.issuer ?? DEFAULT_PRINCIPAL_ISSUER,
    audience: options.audience ?? DEFAULT_PRINCIPAL_AUDIENCE,
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['sub', 'exp', 'iat', 'jti'],
  };

  return {
    async verify(token) {
      if (token === undefined || token.trim() === '') {
        throw new AuthenticationError(
          'PRINCIPAL_MISSING',
          'The call carried no principal token',
        );
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token.trim(), key, verifyOptions));
      } catch (error) {
        throw toAuthenticationError(error);
      }
      const parsed = principalSchema.safeParse(claimsToPrincipalInput(payload));
      if (!parsed.success) {
        throw new AuthenticationError(
          'PRINCIPAL_INVALID',
          'The principal token claims do not form a valid principal',
          { context: { fields: issueFields(parsed.error.issues) } },
        );
      }
      return parsed.data;
    },
  };
}

function toAuthenticationError(error: unknown): AuthenticationError {
  if (error instanceof joseErrors.JWTExpired) {
    return new AuthenticationError(
      'PRINCIPAL_EXPIRED',
      'The principal token has expired',
      { cause: error },
    );
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AuthenticationError(
      'PRINCIPAL_INVALID',
      `The principal token failed the '${error.claim}' check`,
      { cause: error, context: { claim: error.claim } },
    );
  }
  return new AuthenticationError(
    'PRINCIPAL_INVALID',
    'The principal token is malformed or not signed by the gateway key',
    { cause: error },
  );
}

function issueFields(issues: readonly { path: PropertyKey[] }[]): string {
  return issues.map((issue) => issue.path.map(String).join('.')).join(',');
}
