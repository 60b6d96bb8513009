import { NotFoundError, PermissionDeniedError } from '@fieldwise/errors';
import type { CrmServiceService } from '@fieldwise/contracts';
import type { CallContext, ServiceHandlers } from '@fieldwise/grpc';
import { z } from 'zod';
import { idSchema } from '../domain/functions/common-inputs.js';
import { ROLES, type UserRecord } from '../domain/model.js';
import { parseInput } from '../domain/validation.js';
import { encodeUser } from './encode-records.js';
import type { CrmHandlerDeps } from './handler-deps.js';
import { pageInfo, pageOf, resolvePage } from './paging.js';
import { optionalText } from './request-fields.js';

type DirectoryHandlers = Pick<
  ServiceHandlers<typeof CrmServiceService>,
  'listUsers' | 'getUser'
>;

const listSchema = z.object({
  role: z.enum(ROLES).optional(),
  managerUserId: idSchema.optional(),
  territory: z.string().max(64).optional(),
});
const getSchema = z.object({ userId: idSchema });

/**
 * The user directory of the caller's tenant. Visibility follows the data
 * rules: an admin (in the principal and in the users table) sees the whole
 * tenant; a manager sees themselves and their direct reports; everyone else
 * (sellers, auditors, content managers) sees only themselves. A user outside
 * that set is NOT_FOUND, like a missing one; a caller unknown to the tenant
 * is PERMISSION_DENIED. A manager's `territories` are their team's.
 */
export function directoryHandlers(deps: CrmHandlerDeps): DirectoryHandlers {
  const { store } = deps.crm;

  async function visibleUsers(ctx: CallContext): Promise<UserRecord[]> {
    const { tenant, userId, roles } = ctx.principal;
    const self = await store.findUser(tenant, userId);
    if (!self) {
      throw new PermissionDeniedError('Unknown user for this tenant', {
        tenant,
      });
    }
    const holds = (role: string) =>
      (roles as readonly string[]).includes(role) && self.role === role;
    if (holds('admin')) return store.listUsers(tenant);
    if (holds('manager'))
      return [self, ...(await store.listUsers(tenant, self.id))];
    return [self];
  }

  /** Each manager's territories are the union of their own and their reports'. */
  async function encodeAll(tenant: string, users: readonly UserRecord[]) {
    const managers = users.filter((u) => u.role === 'manager');
    const teams = new Map<string, Set<string>>();
    for (const manager of managers) {
      const team = await store.listUsers(tenant, manager.id);
      teams.set(
        manager.id,
        new Set([
          ...manager.territories,
          ...team.flatMap((m) => m.territories),
        ]),
      );
    }
    return users.map((u) => {
      const team = teams.get(u.id);
      return encodeUser(u, team ? [...team].sort() : u.territories);
    });
  }

  return {
    async listUsers(request, ctx) {
      const filters = parseInput(listSchema, {
        role: optionalText(request.role),
        managerUserId: optionalText(request.managerUserId),
        territory: optionalText(request.territory),
      });
      const page = resolvePage(request.page, filters);
      const users = (await visibleUsers(ctx))
        .filter(
          (u) =>
            (filters.role === undefined || u.role === filters.role) &&
            (filters.managerUserId === undefined ||
              u.managerId === filters.managerUserId) &&
            (filters.territory === undefined ||
              u.territories.includes(filters.territory)),
        )
        .sort((a, b) => a.id.localeCompare(b.id));
      return {
        users: await encodeAll(ctx.principal.tenant, pageOf(users, page)),
        page: pageInfo(page, users.length),
      };
    },

    async getUser(request, ctx) {
      const { userId } = parseInput(getSchema, { userId: request.userId });
      const user = (await visibleUsers(ctx)).find((u) => u.id === userId);
      if (!user) throw new NotFoundError('user', userId);
      const [encoded] = await encodeAll(ctx.principal.tenant, [user]);
      return { user: encoded };
    },
  };
}
