import { IdentityServiceService } from '@fieldwise/contracts';
import {
  implementService,
  type ServiceRegistration,
} from './implement-service.js';

/**
 * The `fieldwise.common.v1.IdentityService` every Fieldwise service serves:
 * it answers with the principal and trace the call arrived with, so the
 * gateway's `/v1/whoami` shows what a service really saw.
 */
export function createIdentityService(
  serviceName: string,
): ServiceRegistration {
  return implementService(IdentityServiceService, {
    whoAmI: (_request, ctx) => ({
      service: serviceName,
      principal: {
        userId: ctx.principal.userId,
        tenant: ctx.principal.tenant,
        roles: [...ctx.principal.roles],
        territories: [...ctx.principal.territories],
      },
      traceId: ctx.traceId ?? '',
      spanId: ctx.spanId ?? '',
      receivedAt: new Date().toISOString(),
    }),
  });
}
