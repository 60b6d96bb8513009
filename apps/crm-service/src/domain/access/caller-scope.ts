import { PermissionDeniedError } from '@fieldwise/errors';
import { z } from 'zod';
import type { CrmStore } from '../../adapters/store/port.js';
import type { AccessScope } from '../model.js';
import { parseInput } from '../validation.js';

/** The verified principal as the gRPC layer hands it to the domain. */
export const callerScopeSchema = z.object({
  tenant: z.string().min(1).max(64),
  userId: z.string().min(1).max(128),
  roles: z.array(z.string().max(64)).max(20),
  territories: z.array(z.string().max(64)).max(100),
});

/** The caller: `{ tenant, userId, roles, territories }` from the verified principal. */
export interface CallerScope {
  readonly tenant: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly territories: readonly string[];
}

/**
 * Resolves what a caller may see, from its roles and the users table (the
 * source of truth for territories and teams; the principal's own territory
 * claim is not trusted for widening):
 * - admin: the whole tenant;
 * - manager: their own territories plus those of every seller reporting to them;
 * - seller: their own territories;
 * - anyone else (auditor, content manager, unknown): PERMISSION_DENIED.
 * A caller unknown to the tenant is denied too, so tenants never see each other.
 */
export async function resolveAccess(
  store: CrmStore,
  rawScope: CallerScope,
): Promise<AccessScope> {
  const caller = parseInput(callerScopeSchema, rawScope, 'scope');
  const roles = new Set(caller.roles);
  if (!roles.has('admin') && !roles.has('manager') && !roles.has('seller')) {
    throw new PermissionDeniedError(
      'This role has no access to customer data',
      {
        roles: caller.roles.join(','),
      },
    );
  }
  const user = await store.findUser(caller.tenant, caller.userId);
  if (!user) {
    throw new PermissionDeniedError('Unknown user for this tenant', {
      tenant: caller.tenant,
    });
  }
  // The role must be granted by the principal and held in the users table.
  if (roles.has('admin') && user.role === 'admin') {
    return { tenant: caller.tenant, userId: user.id, territories: 'all' };
  }
  if (roles.has('manager') && user.role === 'manager') {
    const team = await store.listUsers(caller.tenant, user.id);
    const territories = new Set(user.territories);
    for (const member of team) {
      for (const territory of member.territories) territories.add(territory);
    }
    return {
      tenant: caller.tenant,
      userId: user.id,
      territories: [...territories].sort(),
    };
  }
  if (roles.has('seller') && user.role === 'seller') {
    return {
      tenant: caller.tenant,
      userId: user.id,
      territories: [...user.territories],
    };
  }
  throw new PermissionDeniedError(
    'The principal role does not match the user record',
    {
      role: user.role,
    },
  );
}
