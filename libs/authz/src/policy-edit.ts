import { PermissionDeniedError } from '@fieldwise/errors';
import { formatPolicyLine, type PolicyLine } from './policy-lines.js';

/**
 * Checks that replacing `current` by `proposed` only adds or removes lines
 * scoped to `tenant` (`p, …, <tenant>, …`). Lines for every tenant (`*`),
 * other tenants, and role inheritance are platform policy: an admin of one
 * tenant cannot change them. Throws `PermissionDeniedError` naming the
 * offending lines.
 */
export function assertTenantPolicyEdit(
  current: readonly PolicyLine[],
  proposed: readonly PolicyLine[],
  tenant: string,
): void {
  const before = countLines(current);
  const after = countLines(proposed);
  const changed: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const delta = (after.get(key)?.count ?? 0) - (before.get(key)?.count ?? 0);
    if (delta === 0) continue;
    const line = (after.get(key) ?? before.get(key))?.line;
    if (line === undefined || line.kind === 'g' || line.domain !== tenant) {
      changed.push(`${delta > 0 ? 'adds' : 'removes'} '${key}'`);
    }
  }
  if (changed.length > 0) {
    throw new PermissionDeniedError(
      `A policy edit for tenant '${tenant}' may only change that tenant's lines: it ${changed.join(', ')}`,
      { tenant, lines: changed.length },
    );
  }
}

function countLines(
  lines: readonly PolicyLine[],
): Map<string, { line: PolicyLine; count: number }> {
  const counts = new Map<string, { line: PolicyLine; count: number }>();
  for (const line of lines) {
    const key = formatPolicyLine(line);
    counts.set(key, { line, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return counts;
}
