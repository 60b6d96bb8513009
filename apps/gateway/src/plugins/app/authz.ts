import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { PermissionDeniedError } from '@fieldwise/errors';
import type { AuthzPrincipal, Authorizer, Decision } from '@fieldwise/authz';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import { auditActorOf, traceIdOf, traceparentOf } from '../../audit/actor.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import { routeInScope } from '../../api-keys/api-keys.js';
import './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The route decision, once `authorize()` ran. */
    authzDecision: Decision | undefined;
    /** The policy version that decided `authzDecision`. */
    authzPolicyVersion: number | undefined;
    /** Checks the authenticated principal against the route policy; throws 403 on deny. */
    authorize(): Promise<Decision>;
  }
}

/** Options of {@link authzPlugin}. */
export interface AuthzPluginOptions {
  readonly authorizer: Authorizer;
  readonly audit: AuditSink;
}

/** The policy method and route pattern a request is checked as. */
export function policyTarget(request: FastifyRequest): {
  method: string;
  path: string;
} {
  // HEAD is the body-less GET Fastify adds for every GET route.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return {
    method,
    // The route pattern, never the raw URL: `/v1/accounts/:id` is what the
    // policy names, and encoded tricks in the URL cannot change which rule applies.
    path: request.routeOptions.url ?? request.url,
  };
}

/**
 * Who the policy judges: the principal, plus the service roles of an API
 * key (`service:eval`), which the gateway enforces but never forwards.
 */
function subjectOf(request: FastifyRequest): AuthzPrincipal | undefined {
  const principal = request.principal;
  if (!principal) return undefined;
  const serviceRoles = request.apiKey?.serviceRoles;
  if (!serviceRoles || serviceRoles.length === 0) return principal;
  return { ...principal, roles: [...principal.roles, ...serviceRoles] };
}

/** Most decisions the per-replica cache holds before it starts over. */
const DECISION_CACHE_SIZE = 10_000;

/**
 * Route-level authorization with Casbin: the authenticated principal may
 * call the matched route pattern in its own tenant, or the request ends as
 * 403 problem+json. Every deny is an audit event naming the deciding rule
 * and where it is written; allows are recorded on the request event.
 */
export const authzPlugin = fp<AuthzPluginOptions>(
  (app, options, done) => {
    // Casbin's evaluation costs a few hundred microseconds; a decision is a
    // pure function of the policy version and everything the key names (the
    // reason text names the user, so the user is part of the key too).
    let cacheVersion = options.authorizer.policyVersion;
    const cache = new Map<string, Decision>();
    const decide = (
      principal: AuthzPrincipal,
      apiKeyId: string | undefined,
      method: string,
      path: string,
    ): Decision => {
      const version = options.authorizer.policyVersion;
      if (version !== cacheVersion || cache.size >= DECISION_CACHE_SIZE) {
        cache.clear();
        cacheVersion = version;
      }
      const actor = principal.actor;
      const key = JSON.stringify([
        principal.tenant,
        principal.userId,
        principal.roles,
        apiKeyId ?? null,
        actor ? [actor.id, actor.role, actor.purpose] : null,
        method,
        path,
      ]);
      let decision = cache.get(key);
      if (!decision) {
        decision = options.authorizer.canCallRoute(principal, method, path, {
          tenant: principal.tenant,
        });
        cache.set(key, decision);
      }
      return decision;
    };
    app.decorateRequest('authzDecision', undefined);
    app.decorateRequest('authzPolicyVersion', undefined);
    app.decorateRequest('authorize', async function (this: FastifyRequest) {
      if (this.authzDecision) return this.authzDecision;
      await this.authenticate();
      const subject = subjectOf(this);
      if (!subject) throw new Error('authenticate() set no principal');
      const { method, path } = policyTarget(this);
      const apiKey = this.apiKey;
      // A key's route scopes narrow what its roles allow; they never widen it.
      const decision: Decision =
        apiKey && !routeInScope(apiKey.routes, method, path)
          ? {
              allowed: false,
              impersonated: false,
              rule: `api-key ${apiKey.keyId} route scopes`,
              reason: `API key ${apiKey.keyId} is not scoped to ${method} ${path}`,
            }
          : decide(subject, apiKey?.keyId, method, path);
      this.authzDecision = decision;
      this.authzPolicyVersion = options.authorizer.policyVersion;
      if (decision.allowed) return decision;
      const rule = decision.ruleSource
        ? `${decision.ruleSource}: ${decision.rule}`
        : decision.rule;
      options.audit.record(
        AUDIT_EVENT_TYPES.authzDecision,
        {
          traceId: traceIdOf(this),
          actor: auditActorOf(this),
          service: 'gateway',
          resourceKind: 'route',
          resource: `${method} ${path}`.slice(0, 512),
          action: method,
          decision: 'deny',
          rule: rule.slice(0, 512),
          reason: decision.reason.slice(0, 512),
          policyVersion: String(options.authorizer.policyVersion),
        },
        { traceparent: traceparentOf(this) },
      );
      this.log.info(
        { rule, route: `${method} ${path}` },
        'authorization denied',
      );
      throw new PermissionDeniedError(`Not allowed to call ${method} ${path}`, {
        route: `${method} ${path}`,
      });
    });
    done();
  },
  { name: 'authz', dependencies: ['auth'] },
);
