import { resolveRequest, type AuthzRequest } from './authz-request.js';
import { DEFAULT_DENY, type Decision } from './decision.js';
import { formatPolicyLine } from './policy-lines.js';
import type { PolicySnapshot, SubjectVerdict } from './policy-snapshot.js';
import { authzPrincipalSchema, type Actor } from './principal.js';
import {
  delegateSubject,
  isRole,
  isServiceRole,
  roleSubject,
} from './roles.js';

/** What one subject's lines said during a decision. */
export interface SubjectEvaluation {
  readonly subject: string;
  readonly resource: string;
  readonly action: string;
  readonly effect: 'allow' | 'deny' | 'none';
  readonly rule: string;
  readonly ruleSource?: string;
  readonly note?: string;
}

/** A decision with the evaluations that led to it. */
export interface Explanation {
  readonly decision: Decision;
  readonly policyVersion: number;
  /** The question, in words (`GET /v1/accounts/a1`). */
  readonly request: string;
  readonly evaluations: readonly SubjectEvaluation[];
}

interface Evaluated {
  readonly verdict: SubjectVerdict;
  readonly evaluation: SubjectEvaluation;
}

/**
 * Decides one request for one principal against one policy snapshot.
 * Fail closed: an invalid principal, an unresolvable request, another
 * tenant, or no allowing line all deny with rule `default-deny`. Deny lines
 * win over allow lines across all of the principal's roles. A service actor
 * gets the intersection of the user's rights and its delegated rights.
 */
export function explainDecision(
  snapshot: PolicySnapshot,
  rawPrincipal: unknown,
  request: AuthzRequest,
): Explanation {
  const evaluations: SubjectEvaluation[] = [];
  const finish = (decision: Decision, label: string): Explanation => ({
    decision,
    policyVersion: snapshot.version,
    request: label,
    evaluations,
  });
  const requestLabel = resolveRequest(request).label;

  const parsed = authzPrincipalSchema.safeParse(rawPrincipal);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    return finish(defaultDeny(`invalid principal (${issues})`), requestLabel);
  }
  const principal = parsed.data;
  const actorFields = describeActor(principal.actor);
  const deny = (reason: string, verdict?: SubjectVerdict): Decision =>
    verdict?.line !== undefined
      ? {
          allowed: false,
          rule: formatPolicyLine(verdict.line),
          ruleSource: verdict.line.source,
          reason,
          ...actorFields,
        }
      : defaultDeny(reason, actorFields);

  const resolved = resolveRequest(request);
  if (!resolved.ok) {
    return finish(
      deny(`${resolved.label}: ${resolved.problem}`),
      resolved.label,
    );
  }
  const label = resolved.label;
  const resourceTenant = resolved.tenant ?? principal.tenant;
  // Holds even under a custom model that forgot r.ten == r.dom.
  if (resourceTenant !== principal.tenant) {
    return finish(
      deny(
        `tenant isolation: a principal of '${principal.tenant}' never reaches tenant '${resourceTenant}'`,
      ),
      label,
    );
  }
  const roles = principal.roles.filter(isRole);
  if (roles.length === 0) {
    return finish(
      deny(`no known role among [${principal.roles.join(', ')}] may ${label}`),
      label,
    );
  }
  if (principal.actor !== undefined && roles.some(isServiceRole)) {
    return finish(
      deny('a service identity cannot act for another service identity'),
      label,
    );
  }

  const evaluate = (
    subject: string,
    resource: string,
    action: string,
  ): Evaluated => {
    const verdict = snapshot.evaluate({
      subject,
      principalTenant: principal.tenant,
      resourceTenant,
      resource,
      action,
    });
    const evaluation: SubjectEvaluation = {
      subject,
      resource,
      action,
      effect: verdict.effect,
      rule: verdict.line ? formatPolicyLine(verdict.line) : DEFAULT_DENY,
      ...(verdict.line ? { ruleSource: verdict.line.source } : {}),
      ...(verdict.note ? { note: verdict.note } : {}),
    };
    evaluations.push(evaluation);
    return { verdict, evaluation };
  };

  const userVerdict = combineRoles(
    roles.map((role) =>
      evaluate(roleSubject(role), resolved.resource, resolved.action),
    ),
  );
  const who = `${principal.userId} [${roles.join(', ')}]`;
  if (userVerdict.effect !== 'allow') {
    const reason =
      userVerdict.effect === 'deny'
        ? `${label} is denied to ${who} by ${userVerdict.line?.source ?? 'a deny line'}`
        : `no policy line lets ${who} ${label}${noteSuffix(userVerdict)}`;
    return finish(deny(reason, userVerdict), label);
  }
  const userLine = userVerdict.line;
  const allowUser: Decision = {
    allowed: true,
    rule: userLine ? formatPolicyLine(userLine) : DEFAULT_DENY,
    ...(userLine ? { ruleSource: userLine.source } : {}),
    reason: `${who} may ${label} (${userLine?.source ?? 'policy'})`,
    ...actorFields,
  };
  const actor = principal.actor;
  if (actor === undefined) return finish(allowUser, label);

  const delegate = delegateSubject(actor.role);
  const mandate = evaluate(delegate, `impersonate/${actor.purpose}`, 'assume');
  if (mandate.verdict.effect !== 'allow') {
    return finish(
      deny(
        `${actor.role} may not act for ${principal.userId} with purpose '${actor.purpose}'`,
        mandate.verdict,
      ),
      label,
    );
  }
  const delegated = evaluate(delegate, resolved.resource, resolved.action);
  if (delegated.verdict.effect !== 'allow') {
    return finish(
      deny(
        `${actor.role} acting for ${principal.userId} may not ${label}: its rights are intersected with the user's${noteSuffix(delegated.verdict)}`,
        delegated.verdict,
      ),
      label,
    );
  }
  return finish(
    {
      ...allowUser,
      reason: `${actor.role} (${actor.purpose}) acting for ${allowUser.reason}`,
      ...(delegated.verdict.line
        ? { actorRule: formatPolicyLine(delegated.verdict.line) }
        : {}),
    },
    label,
  );
}

function combineRoles(results: readonly Evaluated[]): SubjectVerdict {
  const denied = results.find((r) => r.verdict.effect === 'deny');
  if (denied) return denied.verdict;
  const allowed = results.find((r) => r.verdict.effect === 'allow');
  if (allowed) return allowed.verdict;
  const noted = results.find((r) => r.verdict.note !== undefined);
  return noted ? noted.verdict : { effect: 'none' };
}

function noteSuffix(verdict: SubjectVerdict): string {
  return verdict.note ? ` (${verdict.note})` : '';
}

function describeActor(
  actor: Actor | undefined,
): Pick<Decision, 'impersonated' | 'actor'> {
  if (actor === undefined) return { impersonated: false };
  return {
    // Any use of the evaluation identity as an actor is impersonation,
    // whether or not the policy lets it through.
    impersonated:
      actor.role === 'service:eval' || actor.purpose === 'evaluation',
    actor: `${actor.role}:${actor.id}`,
  };
}

function defaultDeny(
  reason: string,
  actorFields: Pick<Decision, 'impersonated' | 'actor'> = {
    impersonated: false,
  },
): Decision {
  return { allowed: false, rule: DEFAULT_DENY, reason, ...actorFields };
}
