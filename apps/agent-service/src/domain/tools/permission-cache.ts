import type { Authorizer, Decision } from '@fieldwise/authz';
import type { Principal } from '@fieldwise/principal';

const MAX_ENTRIES = 10_000;

/**
 * Memoizes tool decisions of an authorizer (a Casbin decision costs
 * milliseconds; a turn asks for every tool). The key is the policy version
 * plus the principal's whole permission fingerprint (tenant, user, roles,
 * territories, actor), so a policy reload or any change of rights misses
 * the cache, and one user's decision never answers another's.
 */
export function cacheToolDecisions(
  authorizer: Pick<Authorizer, 'canUseTool' | 'policyVersion'>,
): Pick<Authorizer, 'canUseTool'> {
  const cache = new Map<string, Decision>();
  return {
    canUseTool(principal: Principal, tool: string): Decision {
      const key = JSON.stringify([
        authorizer.policyVersion,
        principal.tenant,
        principal.userId,
        [...principal.roles].sort(),
        [...principal.territories].sort(),
        principal.actor ?? null,
        tool,
      ]);
      let decision = cache.get(key);
      if (decision === undefined) {
        decision = authorizer.canUseTool(principal, tool);
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(key, decision);
      }
      return decision;
    },
  };
}
