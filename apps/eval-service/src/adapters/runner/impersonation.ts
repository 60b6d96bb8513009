import { randomBytes } from 'node:crypto';
import {
  AUDIT_EVENT_TYPES,
  TOPICS,
  type AuditAuthzDecisionV1,
  type Outbox,
} from '@fieldwise/events';
import {
  createPrincipalSigner,
  type Principal,
  type PrincipalActor,
} from '@fieldwise/principal';
import type { Logger } from 'pino';
import type { CaseUser } from '../../domain/index.js';

/** The evaluation identity: the only actor the eval service ever signs as. */
export const EVALUATION_ACTOR: PrincipalActor = {
  id: 'eval-service',
  role: 'service:eval',
  purpose: 'evaluation',
};

const SOURCE = '/fieldwise/eval-service';
const MANDATE_RULE =
  'p, delegate:service:eval, *, impersonate/evaluation, assume, allow';

/**
 * Resolves the territories a user sees (a manager's are the team's), asked
 * as that user. Implementations call the CRM directory.
 */
export interface UserDirectory {
  territoriesOf(
    user: CaseUser,
    principalToken: string,
    signal: AbortSignal,
  ): Promise<readonly string[]>;
}

/** Why one impersonation happens, for its audit event. */
export interface ImpersonationPurpose {
  readonly runId: string;
  readonly caseId: string;
}

/**
 * Signs principals for a case's user with the evaluation identity as the
 * actor (purpose `evaluation`), so every downstream service applies the
 * user's rights intersected with the evaluation mandate and audits the call
 * as impersonation. Every signature appends one audit event
 * (`fieldwise.audit.authz.decision.v1`, actor `service:eval` on behalf of
 * the user, `impersonation: true`) to the eval outbox before the token is
 * returned: no impersonation goes unrecorded.
 */
export interface Impersonator {
  principalFor(
    user: CaseUser,
    purpose: ImpersonationPurpose,
    signal: AbortSignal,
  ): Promise<string>;
}

/** What {@link createImpersonator} needs. */
export interface ImpersonatorOptions {
  /** The shared principal key (`resolvePrincipalKey`). */
  readonly key: Uint8Array;
  readonly outbox: Outbox;
  readonly logger: Logger;
  /** Resolves territories; absent: principals carry none. */
  readonly directory?: UserDirectory | undefined;
  /** Token lifetime; default 120 s (one agent turn). */
  readonly ttlSeconds?: number;
}

/** Creates the {@link Impersonator} of the eval service. */
export function createImpersonator(options: ImpersonatorOptions): Impersonator {
  const signer = createPrincipalSigner({
    key: options.key,
    ttlSeconds: options.ttlSeconds ?? 120,
  });
  const territoryCache = new Map<string, readonly string[]>();

  function audit(user: CaseUser, purpose: ImpersonationPurpose): void {
    const data: AuditAuthzDecisionV1 = {
      traceId: randomBytes(16).toString('hex'),
      actor: {
        userId: EVALUATION_ACTOR.id,
        kind: 'service',
        roles: [EVALUATION_ACTOR.role],
        tenant: user.tenant,
        onBehalfOf: user.userId,
        impersonation: true,
      },
      service: 'eval-service',
      resourceKind: 'policy',
      resource: `impersonate/evaluation/${user.userId}`.slice(0, 512),
      action: 'assume',
      decision: 'allow',
      rule: MANDATE_RULE,
      reason:
        `evaluation run ${purpose.runId} case ${purpose.caseId} as ${user.userId} (${user.role})`.slice(
          0,
          512,
        ),
    };
    options.outbox.append({
      topic: TOPICS.audit,
      key: user.userId,
      type: AUDIT_EVENT_TYPES.authzDecision,
      source: SOURCE,
      subject: `eval-run/${purpose.runId}`.slice(0, 512),
      tenant: user.tenant,
      principal: user.userId,
      data,
    });
  }

  async function sign(
    user: CaseUser,
    territories: readonly string[],
  ): Promise<string> {
    const principal: Principal = {
      userId: user.userId,
      tenant: user.tenant,
      roles: [user.role],
      territories: [...territories],
      actor: EVALUATION_ACTOR,
    };
    return signer.sign(principal);
  }

  return {
    async principalFor(user, purpose, signal) {
      // Audited before signing: a token that exists was recorded.
      audit(user, purpose);
      // Per run: a run sees one consistent directory, a later run sees changes.
      const cacheKey = `${purpose.runId}\u0000${user.tenant}\u0000${user.userId}\u0000${user.role}`;
      let territories = territoryCache.get(cacheKey);
      if (territories === undefined) {
        if (options.directory === undefined) {
          territories = [];
        } else {
          const lookupToken = await sign(user, []);
          territories = await options.directory.territoriesOf(
            user,
            lookupToken,
            signal,
          );
        }
        // Bounded: a long-lived service runs many datasets.
        if (territoryCache.size >= 10_000) territoryCache.clear();
        territoryCache.set(cacheKey, territories);
      }
      return sign(user, territories);
    },
  };
}
