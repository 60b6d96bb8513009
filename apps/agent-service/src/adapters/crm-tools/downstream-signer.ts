import type { Principal, PrincipalSigner } from '@fieldwise/principal';

/** The agent's identity when it acts for a user (RFC 8693 `act`). */
export const AGENT_ACTOR = {
  id: 'agent-service',
  role: 'service:agent',
  purpose: 'on-behalf',
} as const;

/** Signs the principal the agent forwards downstream. */
export interface DownstreamSigner {
  /**
   * A fresh short-lived token for the END USER with the agent as actor:
   * the incoming token lives about a minute, a turn may outlive it. An
   * evaluation actor is kept, so downstream audits still say evaluation.
   */
  tokenFor(principal: Principal): Promise<string>;
}

/** Creates a {@link DownstreamSigner} over the shared principal key. */
export function createDownstreamSigner(
  signer: PrincipalSigner,
  ttlSeconds = 60,
): DownstreamSigner {
  return {
    tokenFor: (principal) =>
      signer.sign(
        {
          ...principal,
          actor:
            principal.actor?.purpose === 'evaluation'
              ? principal.actor
              : AGENT_ACTOR,
        },
        { ttlSeconds },
      ),
  };
}
