import { fileURLToPath } from 'node:url';
import { newModelFromString, type Model } from 'casbin';
import { FieldwiseError } from '@fieldwise/errors';

/** The shipped Casbin model (`libs/authz/policy/model.conf`). */
export const DEFAULT_MODEL_PATH = fileURLToPath(
  new URL('../policy/model.conf', import.meta.url),
);

/** The shipped default policy (`libs/authz/policy/policy.csv`). */
export const DEFAULT_POLICY_PATH = fileURLToPath(
  new URL('../policy/policy.csv', import.meta.url),
);

const REQUEST_TOKENS = ['r_sub', 'r_ten', 'r_dom', 'r_obj', 'r_act'];
const POLICY_TOKENS = ['p_sub', 'p_dom', 'p_obj', 'p_act', 'p_eft'];

/**
 * Parses model text and checks it has the shape the authorizer speaks:
 * `r = sub, ten, dom, obj, act`, `p = sub, dom, obj, act, eft`, a `g` role
 * definition with two fields, an effect and a matcher that reads policy
 * fields. Throws a
 * `CONFIG_INVALID` FieldwiseError otherwise.
 */
export function parseModel(text: string): Model {
  let model: Model;
  try {
    model = newModelFromString(text);
  } catch (error) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Invalid Casbin model: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  const problems: string[] = [];
  const tokens = (sec: string, key: string): string[] | undefined =>
    model.model.get(sec)?.get(key)?.tokens;
  if (!sameTokens(tokens('r', 'r'), REQUEST_TOKENS)) {
    problems.push('request_definition must be r = sub, ten, dom, obj, act');
  }
  if (!sameTokens(tokens('p', 'p'), POLICY_TOKENS)) {
    problems.push('policy_definition must be p = sub, dom, obj, act, eft');
  }
  const g = model.model.get('g')?.get('g')?.value;
  if (g === undefined || g.split(',').length !== 2) {
    problems.push('role_definition must be g = _, _');
  }
  if (!model.model.get('e')?.get('e')?.value) {
    problems.push('policy_effect e is missing');
  }
  const matcher = model.model.get('m')?.get('m')?.value;
  if (!matcher) {
    problems.push('matchers m is missing');
  } else if (!matcher.includes('p_')) {
    // Casbin evaluates such a matcher once, without any policy line, and
    // "explains" an allow with whichever line comes first.
    problems.push(
      'the matcher must use policy fields (p.*); an ABAC-only matcher ignores the policy',
    );
  }
  if (problems.length > 0) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Invalid Casbin model: ${problems.join('; ')}`,
    );
  }
  return model;
}

function sameTokens(
  actual: readonly string[] | undefined,
  expected: readonly string[],
): boolean {
  return actual !== undefined && actual.join(',') === expected.join(',');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
