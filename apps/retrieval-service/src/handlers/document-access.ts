import type { Authorizer } from '@fieldwise/authz';
import { HUMAN_ROLES } from '@fieldwise/authz';
import { PermissionDeniedError } from '@fieldwise/errors';
import type { Principal } from '@fieldwise/principal';
import type { SearchScope, Visibility } from '../domain/index.js';

/** A document lifecycle action and the gateway route that stands for it in the policy. */
export type DocumentAction = 'ingest' | 'delete';

const ACTION_ROUTES: Readonly<
  Record<DocumentAction, { readonly method: string; readonly path: string }>
> = {
  ingest: { method: 'POST', path: '/v1/documents' },
  // The decision is per route, not per document: a fixed segment stands for any id.
  delete: { method: 'DELETE', path: '/v1/documents/id' },
};

/**
 * Every access question the retrieval handlers ask, answered by the authz
 * library so the rules live in its one policy: which visibility classes a
 * principal reads, and whether it may ingest or delete collateral.
 */
export interface DocumentAccess {
  /** The search scope of a verified principal: its tenant and the classes authz lets it read. */
  scopeFor(principal: Principal): SearchScope;
  /**
   * Throws `PERMISSION_DENIED` (naming the deciding rule) unless the policy
   * lets the principal call the gateway route of this action
   * (`POST /v1/documents`, `DELETE /v1/documents/:id`).
   */
  assertMay(principal: Principal, action: DocumentAction): void;
  /** The human roles of a tenant that may read a visibility class, in HUMAN_ROLES order. */
  readersOf(tenant: string, visibility: Visibility): string[];
}

/** Binds {@link DocumentAccess} to an authorizer (which may reload its policy at any time). */
export function createDocumentAccess(authorizer: Authorizer): DocumentAccess {
  return {
    scopeFor(principal) {
      const { classes } = authorizer.visibleDocumentClasses(principal);
      return {
        tenant: principal.tenant,
        roles: principal.roles,
        visibleClasses: classes,
      };
    },
    assertMay(principal, action) {
      const route = ACTION_ROUTES[action];
      const decision = authorizer.canCallRoute(
        principal,
        route.method,
        route.path,
      );
      if (!decision.allowed) {
        throw new PermissionDeniedError(
          `not allowed to ${action} documents: ${decision.reason}`,
          { action, rule: decision.rule },
        );
      }
    },
    readersOf(tenant, visibility) {
      return HUMAN_ROLES.filter((role) =>
        authorizer
          .visibleDocumentClasses({
            userId: `role:${role}`,
            tenant,
            roles: [role],
            territories: [],
          })
          .classes.includes(visibility),
      );
    },
  };
}
