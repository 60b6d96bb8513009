import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { PermissionDeniedError } from '@fieldwise/errors';
import type { Authorizer, Decision, HttpMethod } from '@fieldwise/authz';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import { auditActorOf, traceIdOf, traceparentOf } from '../../audit/actor.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Authorize this route as another method and/or pattern of the policy,
     * for routes that are another spelling of a policy route (POST
     * /v1/whoami reads exactly what GET /v1/whoami reads).
     */
    authzAs?: { readonly method: HttpMethod; readonly path?: string };
  }
  interface FastifyRequest {
    /** The route decision, once `authorize()` ran. */
    authzDecision: Decision | undefined;
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
  const alias = request.routeOptions.config.authzAs;
  // HEAD is the body-less GET Fastify adds for every GET route.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return {
    method: alias?.method ?? method,
    // The route pattern, never the raw URL: `/v1/accounts/:id` is what the
    // policy names, and encoded tricks in the URL cannot change which rule applies.
    path: alias?.path ?? request.routeOptions.url ?? request.url,
  };
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
      principal: NonNullable<FastifyRequest['principal']>,
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
    app.decorateRequest('authorize', async function (this: FastifyRequest) {
      if (this.authzDecision) return this.authzDecision;
      const principal = await this.authenticate();
      const { method, path } = policyTarget(this);
      const decision = decide(principal, method, path);
      this.authzDecision = decision;
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
