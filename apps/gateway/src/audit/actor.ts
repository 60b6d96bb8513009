import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '@fieldwise/events';

/** The actor recorded for requests that never authenticated. */
export const ANONYMOUS_ACTOR: AuditActor = {
  userId: 'anonymous',
  kind: 'user',
  roles: [],
  tenant: 'unauthenticated',
};

/** Who made the request, as audit events record it. */
export function auditActorOf(request: FastifyRequest): AuditActor {
  const principal = request.principal;
  if (!principal) return ANONYMOUS_ACTOR;
  const base = {
    roles: principal.roles.slice(0, 32),
    tenant: principal.tenant.slice(0, 128),
  };
  const apiKey = request.apiKey;
  if (apiKey) {
    // A service account: its service roles are part of who acted.
    return {
      ...base,
      roles: [...principal.roles, ...apiKey.serviceRoles].slice(0, 32),
      userId: principal.userId.slice(0, 256),
      kind: 'api-key',
      apiKeyId: apiKey.keyId,
    };
  }
  if (!principal.actor) {
    return { ...base, userId: principal.userId.slice(0, 256), kind: 'user' };
  }
  // A service acting for a user: the service acted, on the user's behalf.
  return {
    ...base,
    userId: principal.actor.id.slice(0, 256),
    kind: 'service',
    onBehalfOf: principal.userId.slice(0, 256),
    impersonation: principal.actor.purpose === 'evaluation',
  };
}

/** The trace id recorded for the request (32 lower-case hex). */
export function traceIdOf(request: FastifyRequest): string {
  return request.span?.spanContext().traceId ?? '0'.repeat(32);
}

/** The W3C traceparent of the request's span, for the event envelope. */
export function traceparentOf(request: FastifyRequest): string | undefined {
  const context = request.span?.spanContext();
  if (!context) return undefined;
  const flags = context.traceFlags.toString(16).padStart(2, '0');
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}
