import type { Logger } from 'pino';

/** Where in the request flow a text is checked. */
export type GuardrailStage = 'input' | 'output' | 'ingestion' | 'toolOutput';

/** Every stage, in a stable order. */
export const GUARDRAIL_STAGES: readonly GuardrailStage[] = [
  'input',
  'output',
  'ingestion',
  'toolOutput',
];

/** What a triggered rule does to the request: stop it, rewrite it, record it, or nothing (not run). */
export type GuardrailMode = 'block' | 'redact' | 'flag' | 'off';

/** What a rule's failure (exception or timeout) counts as: triggered (closed) or passed (open). */
export type FailMode = 'fail-closed' | 'fail-open';

/** The family a rule belongs to; audit consumers group hits by it. */
export type RuleKind =
  | 'injection'
  | 'pii'
  | 'secret'
  | 'topic'
  | 'length'
  | 'leak'
  | 'sanitizer'
  | 'classifier'
  | 'custom';

/** A half-open range `[start, end)` of UTF-16 offsets into the checked text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * One thing a rule found. `preview` is safe to log: it never contains the
 * matched clear text. `replacement`, when set, is what redaction writes
 * instead of the typed placeholder (the output sanitizer keeps link text).
 */
export interface Finding {
  readonly type: string;
  readonly span: Span;
  readonly preview: string;
  readonly replacement?: string;
}

/**
 * A rule's judgement on one text. A verdict is independent of the mode: the
 * pipeline decides what a triggered verdict does. `error` is set when the rule
 * threw or timed out; `triggered` then follows the rule's fail mode.
 */
export interface Verdict {
  readonly ruleId: string;
  readonly triggered: boolean;
  readonly reason?: string;
  readonly findings: readonly Finding[];
  readonly score?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** What a rule's `check` returns; the runner adds the rule id, timing and errors. */
export interface RuleCheckResult {
  readonly triggered: boolean;
  readonly reason?: string;
  readonly findings?: readonly Finding[];
  readonly score?: number;
}

/** Per-call facts a rule may use. Rules must honour `signal` when they do I/O. */
export interface RuleContext {
  readonly stage: GuardrailStage;
  readonly route?: string;
  readonly signal: AbortSignal;
  /** The system prompt of this conversation, for leak detection. */
  readonly systemPrompt?: string;
  /** The canary token placed in that system prompt. */
  readonly canary?: string;
}

/**
 * A guardrail rule. `check` should not throw, but the runner tolerates it:
 * an exception or a timeout becomes an error verdict.
 */
export interface Rule {
  readonly id: string;
  readonly kind: RuleKind;
  /** Whether the rule's findings carry spans the pipeline can redact. */
  readonly redactable: boolean;
  check(
    text: string,
    ctx: RuleContext,
  ): RuleCheckResult | Promise<RuleCheckResult>;
}

/** Services a rule factory may need. */
export interface RuleDeps {
  readonly logger: Logger;
  readonly fetch: typeof globalThis.fetch;
  /** HMAC key for stable hashed placeholders; absent means plain placeholders. */
  readonly redactionKey?: string;
}

/**
 * Builds a rule from its validated options. `parseOptions` throws a zod error
 * on bad options; the pipeline reports it as a config error with its path.
 */
export interface RuleFactory<O = unknown> {
  readonly kind: RuleKind;
  parseOptions(options: unknown): O;
  create(id: string, options: O, deps: RuleDeps): Rule;
}

/** One replacement applied to the checked text. */
export interface TextEdit {
  readonly span: Span;
  readonly replacement: string;
}

/**
 * A guardrail hit, shaped as an audit payload: rule, mode, outcome, reason and
 * counts of finding types. It never contains matched clear text.
 */
export interface GuardrailHit {
  readonly ruleId: string;
  readonly kind: RuleKind;
  readonly stage: GuardrailStage;
  readonly route?: string;
  readonly mode: Exclude<GuardrailMode, 'off'>;
  readonly outcome: 'blocked' | 'redacted' | 'flagged';
  readonly reason?: string;
  readonly score?: number;
  readonly error?: string;
  readonly findingCounts: Readonly<Record<string, number>>;
  readonly findingTotal: number;
}

/** The pipeline's answer for one text. */
export interface GuardrailResult {
  readonly stage: GuardrailStage;
  readonly route?: string;
  readonly action: 'allow' | 'block' | 'redact';
  /** The text with every redact-mode finding replaced (equal to the input when nothing was redacted). */
  readonly text: string;
  readonly verdicts: readonly Verdict[];
  readonly hits: readonly GuardrailHit[];
  /** The replacements applied, in input offsets, sorted and non-overlapping. */
  readonly edits: readonly TextEdit[];
}
