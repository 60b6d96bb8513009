import type { Decision } from '@fieldwise/authz';
import type { Principal } from '@fieldwise/principal';
import { describe, expect, it } from 'vitest';
import { cacheToolDecisions } from '../../../src/domain/tools/permission-cache.js';
import { auditor, sellerEast } from '../../helpers/harness.js';

/** An authorizer that allows sellers only and counts what it is asked. */
function countingAuthorizer() {
  const asked: string[] = [];
  const inner = {
    policyVersion: 1,
    canUseTool(principal: Principal, tool: string): Decision {
      asked.push(`${principal.userId}:${tool}`);
      const allowed = principal.roles.includes('seller');
      return {
        allowed,
        rule: 'test',
        reason: allowed ? 'allowed' : 'denied',
        impersonated: false,
      };
    },
  };
  return { inner, asked };
}

describe('cacheToolDecisions', () => {
  it('asks once per principal and tool, and never answers one user with another’s decision', () => {
    const { inner, asked } = countingAuthorizer();
    const cached = cacheToolDecisions(inner);
    expect(cached.canUseTool(sellerEast, 'account_360').allowed).toBe(true);
    expect(cached.canUseTool(sellerEast, 'account_360').allowed).toBe(true);
    // Another principal object with the same rights shares the decision.
    expect(cached.canUseTool({ ...sellerEast }, 'account_360').allowed).toBe(
      true,
    );
    expect(asked).toEqual(['u-seller-east:account_360']);
    // Same user id, other rights: asked again, and denied.
    const demoted = { ...sellerEast, roles: ['auditor'] } as Principal;
    expect(cached.canUseTool(demoted, 'account_360').allowed).toBe(false);
    expect(cached.canUseTool(auditor, 'account_360').allowed).toBe(false);
    expect(asked).toHaveLength(3);
  });

  it('asks again after the policy changed', () => {
    const { inner, asked } = countingAuthorizer();
    const cached = cacheToolDecisions(inner);
    cached.canUseTool(sellerEast, 'find_accounts');
    inner.policyVersion = 2;
    cached.canUseTool(sellerEast, 'find_accounts');
    expect(asked).toEqual([
      'u-seller-east:find_accounts',
      'u-seller-east:find_accounts',
    ]);
  });
});
