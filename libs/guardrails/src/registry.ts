import type { RuleFactory } from './types.js';
import { canaryRuleFactory } from './rules/canary.js';
import { classifierRuleFactory } from './rules/classifier.js';
import { lengthRuleFactory } from './rules/length.js';
import { outputSanitizerRuleFactory } from './rules/output-sanitizer.js';
import { piiRuleFactory, secretsRuleFactory } from './rules/pii.js';
import { promptInjectionRuleFactory } from './rules/prompt-injection.js';
import { topicsRuleFactory } from './rules/topics.js';

/** The built-in rules by name, as used in configuration. */
export const BUILT_IN_RULES: Readonly<Record<string, RuleFactory<unknown>>> = {
  'prompt-injection': promptInjectionRuleFactory,
  pii: piiRuleFactory,
  secrets: secretsRuleFactory,
  topics: topicsRuleFactory,
  length: lengthRuleFactory,
  canary: canaryRuleFactory,
  'output-sanitizer': outputSanitizerRuleFactory,
  classifier: classifierRuleFactory,
};
