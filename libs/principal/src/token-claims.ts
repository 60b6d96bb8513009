import type { JWTPayload } from 'jose';
import type { Principal } from './principal.js';

/** Default `iss` of principal tokens: the gateway signs them. */
export const DEFAULT_PRINCIPAL_ISSUER = 'fieldwise-gateway';

/** Default `aud` of principal tokens: every internal service accepts them. */
export const DEFAULT_PRINCIPAL_AUDIENCE = 'fieldwise-services';

/** The only algorithm signed or accepted: a shared secret between gateway and services. */
export const PRINCIPAL_ALGORITHM = 'HS256';

/**
 * The private claims of a principal token. `sub` is the user; `act` follows
 * RFC 8693 §4.1 (the actor acting on the subject's behalf).
 */
interface PrincipalClaims extends JWTPayload {
  tenant: string;
  roles: string[];
  territories: string[];
  name?: string;
  email?: string;
  act?: { sub: string; role: string; purpose: string };
}

export function principalToClaims(principal: Principal): PrincipalClaims {
  const claims: PrincipalClaims = {
    tenant: principal.tenant,
    roles: [...principal.roles],
    territories: [...principal.territories],
  };
  if (principal.name !== undefined) claims.name = principal.name;
  if (principal.email !== undefined) claims.email = principal.email;
  if (principal.actor !== undefined) {
    claims.act = {
      sub: principal.actor.id,
      role: principal.actor.role,
      purpose: principal.actor.purpose,
    };
  }
  return claims;
}

/** Rebuilds the principal shape from verified claims; the caller validates it. */
export function claimsToPrincipalInput(payload: JWTPayload): unknown {
  const act = payload['act'];
  const actor =
    typeof act === 'object' && act !== null
      ? {
          id: (act as Record<string, unknown>)['sub'],
          role: (act as Record<string, unknown>)['role'],
          purpose: (act as Record<string, unknown>)['purpose'],
        }
      : act;
  return {
    userId: payload.sub,
    tenant: payload['tenant'],
    roles: payload['roles'],
    territories: payload['territories'],
    name: payload['name'],
    email: payload['email'],
    actor,
  };
}
