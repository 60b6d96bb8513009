export type {
  Finding,
  FailMode,
  GuardrailHit,
  GuardrailMode,
  GuardrailResult,
  GuardrailStage,
  Rule,
  RuleCheckResult,
  RuleContext,
  RuleDeps,
  RuleFactory,
  RuleKind,
  Span,
  TextEdit,
  Verdict,
} from './types.js';
export { GUARDRAIL_STAGES } from './types.js';
export { GuardrailConfigError, GuardrailInputError } from './errors.js';
export type { GuardrailConfigViolation } from './errors.js';
export { guardrailConfigSchema, parseGuardrailConfig } from './config.js';
export type {
  GuardrailConfig,
  GuardrailConfigInput,
  RuleSettings,
} from './config.js';
export { GuardrailPipeline, createGuardrailPipeline } from './pipeline.js';
export type {
  CheckOptions,
  GuardrailPipelineDeps,
  RuleBinding,
} from './pipeline.js';
export { createStreamGuard } from './stream-guard.js';
export type {
  StreamFinal,
  StreamGuard,
  StreamGuardOptions,
  StreamStep,
} from './stream-guard.js';
export { runRule } from './runner.js';
export type { RunSettings } from './runner.js';
export { BUILT_IN_RULES } from './registry.js';
export { placeholder, applyEdits } from './redaction.js';
export {
  PromptInjectionRule,
  promptInjectionOptionsSchema,
} from './rules/prompt-injection.js';
export type { PromptInjectionOptions } from './rules/prompt-injection.js';
export {
  PiiRule,
  SecretsRule,
  piiOptionsSchema,
  secretsOptionsSchema,
} from './rules/pii.js';
export type { PiiOptions, SecretsOptions } from './rules/pii.js';
export { PII_ENTITIES, SECRET_TYPES } from './detectors/entity-detectors.js';
export type { PiiEntity, SecretType } from './detectors/entity-detectors.js';
export {
  luhnValid,
  ibanValid,
  cardBrand,
  ssnValid,
} from './detectors/checksums.js';
export {
  TopicsRule,
  DEFAULT_TOPICS,
  topicsOptionsSchema,
} from './rules/topics.js';
export type { TopicsOptions } from './rules/topics.js';
export {
  LengthRule,
  estimateTokens,
  lengthOptionsSchema,
} from './rules/length.js';
export type { LengthOptions } from './rules/length.js';
export { CanaryRule, canaryOptionsSchema } from './rules/canary.js';
export type { CanaryOptions } from './rules/canary.js';
export {
  OutputSanitizerRule,
  outputSanitizerOptionsSchema,
} from './rules/output-sanitizer.js';
export type { OutputSanitizerOptions } from './rules/output-sanitizer.js';
export { ClassifierRule, classifierOptionsSchema } from './rules/classifier.js';
export type { ClassifierOptions } from './rules/classifier.js';
