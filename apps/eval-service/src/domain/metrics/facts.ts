import type { MetricValue } from '../model.js';
import { containsFact } from './normalize.js';

/**
 * `facts`: the share of required facts the answer states (normalized
 * matching, see `containsFact`). Passes when all are stated. Undefined when
 * the case requires none.
 */
export function scoreRequiredFacts(
  answer: string,
  facts: readonly string[],
): MetricValue | undefined {
  if (facts.length === 0) return undefined;
  const missing = facts.filter((f) => !containsFact(answer, f));
  return {
    name: 'facts',
    value: (facts.length - missing.length) / facts.length,
    judge: 'deterministic',
    passed: missing.length === 0,
    explanation:
      missing.length === 0
        ? `all ${facts.length} fact(s) stated`
        : `missing: ${missing.map((f) => `"${f}"`).join(', ')}`,
    details: { missing },
  };
}

/**
 * `forbidden_facts`: one minus the share of forbidden facts the answer
 * states. Passes when none is stated. Undefined when the case forbids none.
 */
export function scoreForbiddenFacts(
  answer: string,
  facts: readonly string[],
): MetricValue | undefined {
  if (facts.length === 0) return undefined;
  const stated = facts.filter((f) => containsFact(answer, f));
  return {
    name: 'forbidden_facts',
    value: 1 - stated.length / facts.length,
    judge: 'deterministic',
    passed: stated.length === 0,
    explanation:
      stated.length === 0
        ? 'no forbidden fact stated'
        : `stated: ${stated.map((f) => `"${f}"`).join(', ')}`,
    details: { stated },
  };
}
