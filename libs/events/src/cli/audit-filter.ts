import { ValidationError } from '@fieldwise/errors';
import { AUDIT_EVENT_TYPES } from '../audit-events.js';

/** Which audit events `tail` and `export` keep; absent fields do not filter. */
export interface AuditFilter {
  /** The acting user, or the user a service acted for. */
  readonly user?: string;
  readonly tenant?: string;
  /** Authorization decisions with this outcome only. */
  readonly decision?: 'allow' | 'deny';
  /** Guardrail hits only; a string keeps hits of that rule only. */
  readonly guardrail?: true | string;
  /** Inclusive lower bound on `time` (epoch ms). */
  readonly sinceMs?: number;
  /** Exclusive upper bound on `time` (epoch ms). */
  readonly untilMs?: number;
}

/** Parses an ISO timestamp option; anything else is VALIDATION_FAILED naming the option. */
export function parseTimeOption(value: string, option: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ValidationError([
      { field: option, message: `'${value}' is not an ISO 8601 time` },
    ]);
  }
  return ms;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** True when the audit event passes every filter. */
export function matchesFilter(
  event: Record<string, unknown>,
  filter: AuditFilter,
): boolean {
  const data = (event['data'] ?? {}) as Record<string, unknown>;
  const actor = (data['actor'] ?? {}) as Record<string, unknown>;
  if (filter.user !== undefined) {
    const users = [
      text(event['principal']),
      text(actor['userId']),
      text(actor['onBehalfOf']),
    ];
    if (!users.includes(filter.user)) return false;
  }
  if (filter.tenant !== undefined) {
    const tenant = text(event['tenant']) ?? text(actor['tenant']);
    if (tenant !== filter.tenant) return false;
  }
  if (filter.decision !== undefined) {
    if (event['type'] !== AUDIT_EVENT_TYPES.authzDecision) return false;
    if (data['decision'] !== filter.decision) return false;
  }
  if (filter.guardrail !== undefined) {
    if (event['type'] !== AUDIT_EVENT_TYPES.guardrailHit) return false;
    if (filter.guardrail !== true && data['rule'] !== filter.guardrail)
      return false;
  }
  if (filter.sinceMs !== undefined || filter.untilMs !== undefined) {
    const time = Date.parse(text(event['time']) ?? '');
    if (Number.isNaN(time)) return false;
    if (filter.sinceMs !== undefined && time < filter.sinceMs) return false;
    if (filter.untilMs !== undefined && time >= filter.untilMs) return false;
  }
  return true;
}
