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
  // A turn asks for every tool with one principal object: its fingerprint
  // is built once per object (principals are read-only values).
  const fingerprints = new WeakMap<Principal, string>();
  const fingerprintOf = (principal: Principal): string => {
    let fingerprint = fingerprints.get(principal);
    if (fingerprint === undefined) {
      fingerprint = JSON.stringify([
        principal.tenant,
        principal.userId,
        [...principal.roles].sort(),
        [...principal.territories].sort(),
        principal.actor ?? null,
      ]);
      fingerprints.set(principal, fingerprint);
    }
    return fingerprint;
  };
  return {
    canUseTool(principal: Principal, tool: string): Decision {
      const key = `${authorizer.policyVersion}\u0000${tool}\u0000${fingerprintOf(principal)}`;
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
