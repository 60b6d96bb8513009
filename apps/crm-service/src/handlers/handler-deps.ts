import type { CallContext } from '@fieldwise/grpc';
import type { CallerScope, CrmDeps } from '../domain/index.js';
import type { AuditRecorder } from './audit-recorder.js';

/** What every handler group needs: the domain's deps and the audit trail. */
export interface CrmHandlerDeps {
  readonly crm: CrmDeps;
  readonly audit: AuditRecorder;
}

/**
 * The caller scope the domain filters by, from the principal the gRPC layer
 * verified (never from the request). The domain re-checks roles and
 * territories against the users table.
 */
export function scopeOf(ctx: CallContext): CallerScope {
  const { tenant, userId, roles, territories } = ctx.principal;
  return { tenant, userId, roles, territories };
}

/** Territory id → region, from the business vocabulary. */
export function regionMap(deps: CrmHandlerDeps): Map<string, string> {
  return new Map(deps.crm.vocabulary.territories.map((t) => [t.id, t.region]));
}

/** The dataset's "today" (`YYYY-MM-DD`) by the domain clock. */
export function asOf(deps: CrmHandlerDeps): string {
  return deps.crm.clock().toISOString().slice(0, 10);
}
