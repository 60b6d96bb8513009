/** The people-facing roles a principal can hold. */
export const HUMAN_ROLES = [
  'seller',
  'manager',
  'admin',
  'auditor',
  'content-manager',
  'partner',
] as const;

/** Service identities: they hold no data rights of their own beyond the policy's `role:` lines. */
export const SERVICE_ROLES = ['service:agent', 'service:eval'] as const;

/** Every role the policy may name, in a stable order (the matrix tests iterate it). */
export const ROLES = [...HUMAN_ROLES, ...SERVICE_ROLES] as const;

/** A role a principal can hold. */
export type Role = (typeof ROLES)[number];
/** A people-facing role. */
export type HumanRole = (typeof HUMAN_ROLES)[number];
/** A service identity's role. */
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/** True when `value` names a known role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when `value` names a service identity. */
export function isServiceRole(value: string): value is ServiceRole {
  return (SERVICE_ROLES as readonly string[]).includes(value);
}

/** The policy subject for a role held by the principal itself: `role:<role>`. */
export function roleSubject(role: Role): string {
  return `role:${role}`;
}

/**
 * The policy subject for what a service may do while acting for a user:
 * `delegate:<service role>`. Kept apart from `role:` so a service acting on
 * its own never gains the rights it has only on someone's behalf.
 */
export function delegateSubject(role: ServiceRole): string {
  return `delegate:${role}`;
}
