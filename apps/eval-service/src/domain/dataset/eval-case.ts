import { z } from 'zod';

const JSON_PRIMITIVE = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * How one expected argument is compared with the actual call's value.
 * A bare JSON primitive is shorthand for `{ match: 'exact', value }`.
 * - `exact`: deep-equal JSON value (numbers compared as numbers).
 * - `case-insensitive`: string equality after trimming and lower-casing.
 * - `contains`: the actual string contains the value, case-insensitively.
 * - `one-of`: the actual value equals (case-insensitively for strings) one of `values`.
 */
export const ArgumentRuleSchema = z.union([
  JSON_PRIMITIVE,
  z.strictObject({ match: z.literal('exact'), value: z.json() }),
  z.strictObject({ match: z.literal('case-insensitive'), value: z.string() }),
  z.strictObject({ match: z.literal('contains'), value: z.string().min(1) }),
  z.strictObject({
    match: z.literal('one-of'),
    values: z.array(JSON_PRIMITIVE).min(1),
  }),
]);

/** One argument rule (see {@link ArgumentRuleSchema}). */
export type ArgumentRule = z.infer<typeof ArgumentRuleSchema>;

/**
 * A tool call a case expects. `arguments` maps an argument path (dots reach
 * into nested objects, e.g. `filters.productLine`) to a rule; keys the actual
 * call has beyond these are allowed.
 */
export const ExpectedToolSchema = z.strictObject({
  name: z.string().min(1).max(100),
  arguments: z.record(z.string().min(1), ArgumentRuleSchema).default({}),
});

/** A tool call a case expects. */
export type ExpectedTool = z.infer<typeof ExpectedToolSchema>;

/**
 * The tools a case expects. `set`: every named tool must be called, in any
 * order. `sequence`: they must also be called in this order (other calls
 * may sit in between). `allowExtra` (default true) tolerates calls to tools
 * not listed, e.g. an entity lookup before the main call.
 */
export const ExpectedToolsSchema = z.strictObject({
  match: z.enum(['set', 'sequence']).default('set'),
  allowExtra: z.boolean().default(true),
  calls: z.array(ExpectedToolSchema).max(20),
});

/** The tools a case expects (see {@link ExpectedToolsSchema}). */
export type ExpectedTools = z.infer<typeof ExpectedToolsSchema>;

/** The user a case is asked as: the evaluation identity impersonates them. */
export const CaseUserSchema = z.strictObject({
  userId: z.string().min(1).max(128),
  tenant: z.string().min(1).max(64),
  role: z.enum(['seller', 'manager', 'admin', 'auditor', 'content-manager']),
});

/** The user a case is asked as. */
export type CaseUser = z.infer<typeof CaseUserSchema>;

const MESSAGE = z.string().trim().min(1).max(8000);

/**
 * What the user says: one message, or a script of user turns sent in order
 * in one conversation (metrics score the last turn's answer).
 */
export const CaseRequestSchema = z.union([
  z.strictObject({ message: MESSAGE }),
  z.strictObject({ turns: z.array(MESSAGE).min(1).max(20) }),
]);

/** What the user says (see {@link CaseRequestSchema}). */
export type CaseRequest = z.infer<typeof CaseRequestSchema>;

const LABEL = z.number().int().min(1).max(5);

/** Scores (1–5) a human gave the reference run of this case. */
export const HumanLabelsSchema = z.strictObject({
  groundedness: LABEL.optional(),
  relevance: LABEL.optional(),
  helpfulness: LABEL.optional(),
});

/** Scores (1–5) a human gave (see {@link HumanLabelsSchema}). */
export type HumanLabels = z.infer<typeof HumanLabelsSchema>;

/** Answer-shape expectations checked by format adherence. */
export const FormatExpectationsSchema = z.strictObject({
  /** Longest acceptable answer in characters; default 4000. */
  maxChars: z.number().int().positive().max(100_000).default(4000),
  /** The answer must carry at least one citation. */
  requireCitations: z.boolean().default(false),
});

/**
 * One evaluation case, as one JSONL line. `id` is unique within a dataset
 * version. Fact strings are matched after normalization (see
 * `containsFact`): case, whitespace and number formats do not matter.
 */
export const EvalCaseSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, ".", "_", ":" or "-"'),
  user: CaseUserSchema,
  request: CaseRequestSchema,
  expectedTools: ExpectedToolsSchema.optional(),
  requiredFacts: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
  forbiddenFacts: z
    .array(z.string().trim().min(1).max(500))
    .max(50)
    .default([]),
  referenceAnswer: z.string().max(20_000).optional(),
  humanLabels: HumanLabelsSchema.optional(),
  format: FormatExpectationsSchema.optional(),
  tags: z.array(z.string().min(1).max(64)).max(20).default([]),
  /** Where the case came from: "manual", "import" or "feedback:<id>". */
  source: z.string().min(1).max(200).default('manual'),
});

/** One evaluation case, with defaults applied. */
export type EvalCase = z.infer<typeof EvalCaseSchema>;

/** One evaluation case as written (defaults not yet applied). */
export type EvalCaseInput = z.input<typeof EvalCaseSchema>;

/** The user messages of a case, in the order they are sent. */
export function caseTurns(request: CaseRequest): readonly string[] {
  return 'message' in request ? [request.message] : request.turns;
}
