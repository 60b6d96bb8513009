import { PermissionDeniedError } from '@fieldwise/errors';
import type { Principal } from '@fieldwise/principal';
import { EVALUATION_ACTOR } from '../adapters/runner/impersonation.js';

/**
 * Throws PERMISSION_DENIED unless the caller may use the eval service: an
 * admin of the tenant acting as themself, or the evaluation identity itself
 * (actor `service:eval` with purpose `evaluation` and user id equal to the
 * actor id). The agent acting for a user, and every other role, is refused.
 */
export function assertEvaluator(principal: Principal): void {
  const actor = principal.actor;
  if (actor === undefined) {
    if (principal.roles.includes('admin')) return;
    throw new PermissionDeniedError(
      'evaluations are for admins of the tenant and the evaluation identity',
      { userId: principal.userId },
    );
  }
  const isEvaluationIdentity =
    actor.role === EVALUATION_ACTOR.role &&
    actor.purpose === 'evaluation' &&
    actor.id === principal.userId;
  if (!isEvaluationIdentity) {
    throw new PermissionDeniedError(
      `${actor.role} acting for ${principal.userId} may not use evaluations`,
      { actor: actor.role },
    );
  }
}
