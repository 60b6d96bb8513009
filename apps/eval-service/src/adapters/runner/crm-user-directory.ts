import type { CrmServiceService } from '@fieldwise/contracts';
import type { GrpcServiceClient } from '@fieldwise/grpc';
import type { UserDirectory } from './impersonation.js';

/**
 * A {@link UserDirectory} over the crm service's `GetUser`, asked as the
 * user themself (a user always sees their own directory entry, with a
 * manager's team territories).
 */
export function createCrmUserDirectory(
  client: GrpcServiceClient<typeof CrmServiceService>,
  deadlineMs = 10_000,
): UserDirectory {
  return {
    async territoriesOf(user, principalToken, signal) {
      const response = await client.getUser(
        { userId: user.userId },
        { principalToken, signal, deadlineMs, idempotent: true },
      );
      return response.user?.territories ?? [];
    },
  };
}
