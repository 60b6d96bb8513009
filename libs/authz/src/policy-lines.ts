import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import { isDocumentClass } from './document-classes.js';
import { isTenantId } from './principal.js';
import { isRole, isServiceRole } from './roles.js';
import { HTTP_METHODS } from './routes.js';
import { isToolName } from './tools.js';

/** A permission line: `p, subject, tenant|*, resource, action|*, allow|deny`. */
export interface PermissionLine {
  readonly kind: 'p';
  readonly subject: string;
  readonly domain: string;
  readonly resource: string;
  readonly action: string;
  readonly effect: 'allow' | 'deny';
  /** Where the line came from, e.g. `policy.csv:42`. */
  readonly source: string;
}

/** A role inheritance line: `g, role:child, role:parent`. */
export interface InheritanceLine {
  readonly kind: 'g';
  readonly child: string;
  readonly parent: string;
  readonly source: string;
}

/** One validated policy line. */
export type PolicyLine = PermissionLine | InheritanceLine;

/** The line as it reads in a policy file (and as decisions name it). */
export function formatPolicyLine(line: PolicyLine): string {
  return policyLineTokens(line).join(', ');
}

/** The Casbin tokens of a line: ptype first. */
export function policyLineTokens(line: PolicyLine): readonly string[] {
  return line.kind === 'p'
    ? ['p', line.subject, line.domain, line.resource, line.action, line.effect]
    : ['g', line.child, line.parent];
}

/**
 * Parses and validates policy CSV text. Blank lines and `#` comments are
 * skipped; fields are comma separated and trimmed (quoting is not supported,
 * no valid field needs it). Throws a `ValidationError` naming every bad line
 * (`<sourceName>:<line number>`) so a bad policy is never half-loaded.
 */
export function parsePolicyText(
  text: string,
  sourceName = 'policy',
): readonly PolicyLine[] {
  const rows: { tokens: string[]; source: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    rows.push({
      tokens: trimmed.split(',').map((token) => token.trim()),
      source: `${sourceName}:${index + 1}`,
    });
  });
  return validatePolicyRows(rows);
}

/**
 * Validates policy rows (tokens with ptype first), e.g. the rows a Casbin
 * adapter loaded. Throws a `ValidationError` listing every violation.
 */
export function validatePolicyRows(
  rows: readonly {
    readonly tokens: readonly string[];
    readonly source: string;
  }[],
): readonly PolicyLine[] {
  const violations: FieldViolation[] = [];
  const lines: PolicyLine[] = [];
  const seen = new Map<string, string>();
  for (const row of rows) {
    const problems: string[] = [];
    const line = parseRow(row.tokens, row.source, problems);
    if (line === undefined || problems.length > 0) {
      for (const message of problems) {
        violations.push({ field: row.source, message });
      }
      continue;
    }
    const key = formatPolicyLine(line);
    const first = seen.get(key);
    if (first !== undefined) {
      violations.push({ field: row.source, message: `duplicate of ${first}` });
      continue;
    }
    seen.set(key, row.source);
    lines.push(line);
  }
  violations.push(...inheritanceCycles(lines));
  if (violations.length > 0) {
    throw new ValidationError(
      violations,
      `Invalid policy: ${violations
        .map((v) => `${v.field}: ${v.message}`)
        .join('; ')}`,
    );
  }
  return lines;
}

function parseRow(
  tokens: readonly string[],
  source: string,
  problems: string[],
): PolicyLine | undefined {
  if (tokens.some((token) => token.includes('"'))) {
    problems.push('quoted fields are not supported');
    return undefined;
  }
  const [ptype, ...fields] = tokens;
  if (fields.some((field) => field === '')) {
    problems.push('empty field');
    return undefined;
  }
  if (ptype === 'g') {
    if (fields.length !== 2) {
      problems.push(
        `a g line has 2 fields (child role, parent role), found ${fields.length}`,
      );
      return undefined;
    }
    const [child = '', parent = ''] = fields;
    checkRoleSubject(child, problems);
    checkRoleSubject(parent, problems);
    if (child === parent) problems.push('a role cannot inherit from itself');
    return { kind: 'g', child, parent, source };
  }
  if (ptype !== 'p') {
    problems.push(`unknown line type '${ptype ?? ''}' (expected p or g)`);
    return undefined;
  }
  if (fields.length !== 5) {
    problems.push(
      `a p line has 5 fields (subject, tenant, resource, action, effect), found ${fields.length}`,
    );
    return undefined;
  }
  const [subject = '', domain = '', resource = '', action = '', effect = ''] =
    fields;
  checkSubject(subject, problems);
  if (domain !== '*' && !isTenantId(domain)) {
    problems.push(`tenant '${domain}' is not '*' or a lower-case tenant id`);
  }
  checkResource(subject, resource, action, problems);
  if (effect !== 'allow' && effect !== 'deny') {
    problems.push(`effect '${effect}' is not allow or deny`);
    return undefined;
  }
  return { kind: 'p', subject, domain, resource, action, effect, source };
}

function checkRoleSubject(subject: string, problems: string[]): void {
  const role = subject.startsWith('role:') ? subject.slice(5) : undefined;
  if (role === undefined) {
    problems.push(`'${subject}' is not a role subject (role:<name>)`);
  } else if (!isRole(role)) {
    problems.push(`unknown role '${role}'`);
  }
}

function checkSubject(subject: string, problems: string[]): void {
  if (subject === '*') return;
  if (subject.startsWith('delegate:')) {
    const role = subject.slice('delegate:'.length);
    if (!isServiceRole(role)) {
      problems.push(`'${subject}': only service roles act as delegates`);
    }
    return;
  }
  checkRoleSubject(subject, problems);
}

const ROUTE_SEGMENT = /^(?:[a-z0-9_-]+|:[a-zA-Z][a-zA-Z0-9]*)$/;

/** The resource namespaces and the actions each accepts (besides `*`). */
const NAMESPACES: Readonly<
  Record<
    string,
    {
      actions: readonly string[];
      name: (value: string) => boolean;
      what: string;
    }
  >
> = {
  tool: { actions: ['invoke'], name: isToolName, what: 'tool' },
  audit: {
    actions: ['read', 'write', 'delete'],
    name: (value) => /^[a-z][a-z0-9-]*$/.test(value),
    what: 'audit stream',
  },
  'doc-class': {
    actions: ['read'],
    name: isDocumentClass,
    what: 'document class',
  },
  territory: {
    actions: ['see'],
    name: (value) => ['own', 'team', 'all'].includes(value),
    what: 'territory scope (own, team, all)',
  },
  impersonate: {
    actions: ['assume'],
    name: (value) => ['on-behalf', 'evaluation'].includes(value),
    what: 'impersonation purpose (on-behalf, evaluation)',
  },
};

function checkResource(
  subject: string,
  resource: string,
  action: string,
  problems: string[],
): void {
  if (resource.startsWith('/')) {
    checkRoutePattern(resource, problems);
    if (
      action !== '*' &&
      !(HTTP_METHODS as readonly string[]).includes(action)
    ) {
      problems.push(`'${action}' is not an HTTP method or '*'`);
    }
    return;
  }
  const slash = resource.indexOf('/');
  const namespace = slash > 0 ? resource.slice(0, slash) : resource;
  const name = slash > 0 ? resource.slice(slash + 1) : '';
  const spec = NAMESPACES[namespace];
  if (spec === undefined) {
    problems.push(
      `unknown resource '${resource}' (expected /v1/..., tool/, audit/, doc-class/, territory/ or impersonate/)`,
    );
    return;
  }
  if (name !== '*' && !spec.name(name)) {
    problems.push(`unknown ${spec.what} '${name}'`);
  }
  if (action !== '*' && !spec.actions.includes(action)) {
    problems.push(
      `action '${action}' does not apply to ${namespace}/ (expected ${spec.actions.join(', ')} or *)`,
    );
  }
  if (namespace === 'impersonate' && !subject.startsWith('delegate:')) {
    problems.push('only delegate:<service> subjects may impersonate');
  }
}

function checkRoutePattern(pattern: string, problems: string[]): void {
  if (!pattern.startsWith('/v1/')) {
    problems.push(`route pattern '${pattern}' must start with /v1/`);
    return;
  }
  const segments = pattern.slice(1).split('/');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '*' ? !last : !ROUTE_SEGMENT.test(segment)) {
      problems.push(
        `route pattern '${pattern}': bad segment '${segment}' (lower-case names, :params, and * only at the end)`,
      );
    }
  });
}

function inheritanceCycles(lines: readonly PolicyLine[]): FieldViolation[] {
  const parents = new Map<string, InheritanceLine[]>();
  for (const line of lines) {
    if (line.kind !== 'g') continue;
    parents.set(line.child, [...(parents.get(line.child) ?? []), line]);
  }
  const violations: FieldViolation[] = [];
  const reaches = (
    from: string,
    target: string,
    visited: Set<string>,
  ): boolean => {
    if (from === target) return true;
    if (visited.has(from)) return false;
    visited.add(from);
    return (parents.get(from) ?? []).some((edge) =>
      reaches(edge.parent, target, visited),
    );
  };
  for (const edges of parents.values()) {
    for (const edge of edges) {
      if (reaches(edge.parent, edge.child, new Set())) {
        violations.push({
          field: edge.source,
          message: `role inheritance cycle through ${edge.child}`,
        });
      }
    }
  }
  return violations;
}
