import { z } from 'zod';
import { SERVICE_ROLES } from './roles.js';

const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Why a service identity acts for a user. */
export type ActorPurpose = 'on-behalf' | 'evaluation';

/**
 * A service identity acting for the principal (RFC 8693 `act`): the agent on
 * behalf of the signed-in user, or the evaluation identity impersonating a
 * user for an evaluation run. Its rights are intersected with the user's.
 */
export interface Actor {
  readonly id: string;
  readonly role: (typeof SERVICE_ROLES)[number];
  readonly purpose: ActorPurpose;
}

/**
 * What authorization needs to know about the caller. This is the gateway's
 * principal `{userId, roles, territories, tenant}`; `territories` are the
 * seller's own or, for a manager, the team's (resolved at sign-in). Unknown
 * role names are ignored (they grant nothing).
 */
export interface AuthzPrincipal {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly tenant: string;
  readonly territories: readonly string[];
  readonly actor?: Actor;
}

/** The zod schema of {@link AuthzPrincipal}; decisions on anything else fail closed. */
export const authzPrincipalSchema = z.object({
  userId: z.string().min(1),
  roles: z.array(z.string().min(1)),
  tenant: z.string().regex(TENANT, 'tenant must be a lower-case id'),
  territories: z.array(z.string().min(1)),
  actor: z
    .object({
      id: z.string().min(1),
      role: z.enum(SERVICE_ROLES),
      purpose: z.enum(['on-behalf', 'evaluation']),
    })
    .optional(),
});

/** True when `value` is a syntactically valid tenant id. */
export function isTenantId(value: string): boolean {
  return TENANT.test(value);
}
