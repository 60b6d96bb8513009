import { newEnforcer, type Adapter, type Enforcer } from 'casbin';
import type { Logger } from 'pino';
import { parseModel } from './model.js';
import {
  policyLineTokens,
  type PermissionLine,
  type PolicyLine,
} from './policy-lines.js';

/** What one subject's policy lines say about one request. */
export interface SubjectVerdict {
  readonly effect: 'allow' | 'deny' | 'none';
  /** The line that decided; absent for `none`. */
  readonly line?: PermissionLine;
  /** Why the verdict is `none` although Casbin answered otherwise. */
  readonly note?: string;
}

/** One Casbin request: the model's `r = sub, ten, dom, obj, act`. */
export interface SubjectRequest {
  readonly subject: string;
  readonly principalTenant: string;
  readonly resourceTenant: string;
  readonly resource: string;
  readonly action: string;
}

/**
 * An immutable, loaded policy: its own Casbin enforcer and the validated
 * lines. Reloads build a new snapshot and swap it in whole, so a decision
 * always sees one consistent policy.
 */
export interface PolicySnapshot {
  readonly version: number;
  readonly lines: readonly PolicyLine[];
  evaluate(request: SubjectRequest): SubjectVerdict;
}

/** Builds a snapshot from model text and already validated lines. */
export async function buildSnapshot(
  modelText: string,
  lines: readonly PolicyLine[],
  version: number,
  logger: Logger,
): Promise<PolicySnapshot> {
  const enforcer = await newEnforcer(parseModel(modelText));
  const permissions = lines.filter((l): l is PermissionLine => l.kind === 'p');
  const rows = (kind: 'p' | 'g'): string[][] =>
    lines
      .filter((line) => line.kind === kind)
      .map((line) => policyLineTokens(line).slice(1));
  // An empty batch is skipped: Casbin treats "add nothing" as a failed add.
  if (permissions.length > 0) await enforcer.addPolicies(rows('p'));
  if (permissions.length < lines.length) {
    await enforcer.addGroupingPolicies(rows('g'));
  }
  const byTokens = new Map<string, PermissionLine>(
    permissions.map((line) => [
      tokensKey(policyLineTokens(line).slice(1)),
      line,
    ]),
  );
  return {
    version,
    lines,
    evaluate: (request) => evaluate(enforcer, byTokens, request, logger),
  };
}

/**
 * Reads the rows a Casbin adapter loads, with ptype first, so they can be
 * validated like file lines.
 */
export async function loadAdapterRows(
  modelText: string,
  adapter: Adapter,
): Promise<{ tokens: string[]; source: string }[]> {
  const enforcer = await newEnforcer(parseModel(modelText), adapter);
  const p = await enforcer.getPolicy();
  const g = await enforcer.getGroupingPolicy();
  return [
    ...p.map((row, i) => ({
      tokens: ['p', ...row],
      source: `adapter:p#${i + 1}`,
    })),
    ...g.map((row, i) => ({
      tokens: ['g', ...row],
      source: `adapter:g#${i + 1}`,
    })),
  ];
}

function evaluate(
  enforcer: Enforcer,
  byTokens: ReadonlyMap<string, PermissionLine>,
  request: SubjectRequest,
  logger: Logger,
): SubjectVerdict {
  let allowed: boolean;
  let explain: string[];
  try {
    [allowed, explain] = enforcer.enforceExSync(
      request.subject,
      request.principalTenant,
      request.resourceTenant,
      request.resource,
      request.action,
    );
  } catch (error) {
    logger.error({ err: error, request }, 'policy evaluation failed; denying');
    return { effect: 'none', note: 'policy evaluation failed' };
  }
  const line =
    explain.length > 0 ? byTokens.get(tokensKey(explain)) : undefined;
  if (allowed) {
    if (line?.effect === 'allow') return { effect: 'allow', line };
    // Casbin allows without a policy line when the matcher is ABAC-only
    // and the policy is empty: an allow must always name its line.
    logger.warn(
      { request, explain },
      'matcher allowed without naming an allow line; denying',
    );
    return {
      effect: 'none',
      note: 'the matcher allowed without a policy line (every allow must name one)',
    };
  }
  if (line?.effect === 'deny') return { effect: 'deny', line };
  return { effect: 'none' };
}

function tokensKey(tokens: readonly string[]): string {
  return tokens.join('\u0000');
}
