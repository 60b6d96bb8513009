import { ValidationError } from '@fieldwise/errors';
import { VISIBILITY_CLASSES, type Visibility } from './model.js';

/**
 * What the verified principal may read, computed by the caller from the
 * principal (the lead binds this to the authz library). Search and document
 * reads never see anything outside `tenant` and `visibleClasses`.
 */
export interface SearchScope {
  readonly tenant: string;
  readonly roles: readonly string[];
  readonly visibleClasses: readonly Visibility[];
}

const ROLE_VISIBILITY: Readonly<Record<string, readonly Visibility[]>> = {
  seller: ['public', 'internal', 'partner'],
  manager: ['public', 'internal', 'partner', 'confidential'],
  admin: ['public', 'internal', 'partner', 'confidential'],
  'content-manager': ['public', 'internal', 'partner'],
  partner: ['public', 'partner'],
  auditor: [],
};

/**
 * The visibility classes a set of roles may read, per the rules of
 * data/collateral/README.md (the union over roles; unknown roles add nothing,
 * so a security auditor or an unknown role reads no collateral).
 */
export function visibleClassesForRoles(roles: readonly string[]): Visibility[] {
  const visible = new Set<Visibility>();
  for (const role of roles) {
    for (const cls of ROLE_VISIBILITY[role] ?? []) visible.add(cls);
  }
  return VISIBILITY_CLASSES.filter((cls) => visible.has(cls));
}

/** Builds a scope for a tenant and roles with {@link visibleClassesForRoles}. */
export function scopeForRoles(
  tenant: string,
  roles: readonly string[],
): SearchScope {
  return { tenant, roles, visibleClasses: visibleClassesForRoles(roles) };
}

/** Throws `VALIDATION_FAILED` unless the scope names a tenant and known classes. */
export function assertValidScope(scope: SearchScope): void {
  const violations = [];
  if (typeof scope.tenant !== 'string' || scope.tenant.trim() === '') {
    violations.push({
      field: 'scope.tenant',
      message: 'must be a non-empty string',
    });
  }
  if (!Array.isArray(scope.visibleClasses)) {
    violations.push({
      field: 'scope.visibleClasses',
      message: 'must be an array',
    });
  } else {
    for (const cls of scope.visibleClasses as readonly unknown[]) {
      if (!(VISIBILITY_CLASSES as readonly unknown[]).includes(cls)) {
        violations.push({
          field: 'scope.visibleClasses',
          message: `unknown visibility class '${String(cls)}'`,
        });
      }
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);
}
