import { z } from 'zod';
import type { Rule, RuleCheckResult, RuleFactory } from '../types.js';

/** Options of the `length` rule; at least one limit is required. */
export const lengthOptionsSchema = z
  .object({
    maxChars: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
  })
  .strict()
  .refine(
    (o) => o.maxChars !== undefined || o.maxTokens !== undefined,
    'set maxChars or maxTokens',
  );
/** Validated options of the `length` rule. */
export type LengthOptions = z.infer<typeof lengthOptionsSchema>;

/**
 * A token estimate without a tokenizer: the larger of chars/4 (English prose)
 * and 1.3 per word-ish run, which over-counts code and CJK rather than under-counts.
 */
export function estimateTokens(text: string): number {
  let runs = 0;
  let inRun = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inRun) runs++;
    inRun = !space;
  }
  return Math.max(Math.ceil(text.length / 4), Math.ceil(runs * 1.3));
}

/** Limits text length in characters and estimated tokens. */
export class LengthRule implements Rule {
  readonly kind = 'length' as const;
  readonly redactable = false;

  constructor(
    readonly id: string,
    private readonly options: LengthOptions,
  ) {}

  check(text: string): RuleCheckResult {
    const { maxChars, maxTokens } = this.options;
    if (maxChars !== undefined && text.length > maxChars) {
      return {
        triggered: true,
        findings: [],
        score: text.length,
        reason: `length ${text.length} chars exceeds ${maxChars}`,
      };
    }
    if (maxTokens !== undefined) {
      const tokens = estimateTokens(text);
      if (tokens > maxTokens) {
        return {
          triggered: true,
          findings: [],
          score: tokens,
          reason: `about ${tokens} tokens exceeds ${maxTokens}`,
        };
      }
    }
    return { triggered: false, findings: [] };
  }
}

/** Factory of the `length` rule. */
export const lengthRuleFactory: RuleFactory<LengthOptions> = {
  kind: 'length',
  parseOptions: (options) => lengthOptionsSchema.parse(options ?? {}),
  create: (id, options) => new LengthRule(id, options),
};
