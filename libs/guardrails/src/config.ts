import { z } from 'zod';
import { GuardrailConfigError } from './errors.js';

const ruleIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'rule ids are lower-case kebab-case');

/** Settings of one rule on one stage. */
export const ruleSettingsSchema = z
  .object({
    mode: z.enum(['block', 'redact', 'flag', 'off']),
    /** Rule-specific options, validated by the rule's own schema. */
    options: z.unknown().optional(),
    /** Which built-in (or registered) rule this is; defaults to the rule id, so two `pii` rules can coexist. */
    rule: ruleIdSchema.optional(),
    /** What an exception or timeout counts as; fail-closed by default. */
    onError: z.enum(['fail-closed', 'fail-open']).default('fail-closed'),
    /** Deadline for asynchronous checks. */
    timeoutMs: z.number().int().positive().max(60_000).default(1_000),
  })
  .strict();

const stageRulesSchema = z.record(ruleIdSchema, ruleSettingsSchema);

const stagesSchema = z
  .object({
    input: stageRulesSchema.default({}),
    output: stageRulesSchema.default({}),
    ingestion: stageRulesSchema.default({}),
    toolOutput: stageRulesSchema.default({}),
  })
  .strict();

const routeSchema = z
  .object({
    stages: z
      .object({
        input: stageRulesSchema.optional(),
        output: stageRulesSchema.optional(),
        ingestion: stageRulesSchema.optional(),
        toolOutput: stageRulesSchema.optional(),
      })
      .strict(),
  })
  .strict();

/**
 * The guardrail configuration: rules per stage, optional per-route overrides
 * (a route's setting for a rule id replaces the stage's), and redaction settings.
 */
export const guardrailConfigSchema = z
  .object({
    stages: stagesSchema,
    routes: z.record(z.string().min(1), routeSchema).default({}),
    redaction: z
      .object({
        /** HMAC key for `[REDACTED:TYPE:hash]` placeholders; plain placeholders without it. */
        hashKey: z.string().min(16).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** The configuration as written (defaults optional). */
export type GuardrailConfigInput = z.input<typeof guardrailConfigSchema>;
/** The configuration after validation and defaults. */
export type GuardrailConfig = z.output<typeof guardrailConfigSchema>;
/** One rule's validated settings. */
export type RuleSettings = z.output<typeof ruleSettingsSchema>;

/** Validates a configuration, reporting every issue with its path. */
export function parseGuardrailConfig(input: unknown): GuardrailConfig {
  const parsed = guardrailConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new GuardrailConfigError(
      parsed.error.issues.map((i) => ({
        field: i.path.join('.'),
        message: i.message,
      })),
    );
  }
  return parsed.data;
}
