import { z } from 'zod';
import type {
  Finding,
  Rule,
  RuleCheckResult,
  RuleContext,
  RuleFactory,
  Span,
} from '../types.js';
import {
  baseView,
  viewSpan,
  wordsView,
  type TextView,
} from '../text/normalize.js';

/** Options of the `canary` rule. */
export const canaryOptionsSchema = z
  .object({
    /** Token placed in the system prompt; per-call `ctx.canary` takes precedence. */
    canary: z.string().min(8).optional(),
    /** The system prompt; per-call `ctx.systemPrompt` takes precedence. */
    systemPrompt: z.string().optional(),
    /** Consecutive words shared with the system prompt that count as a verbatim leak. */
    minOverlapWords: z.number().int().min(4).default(12),
  })
  .strict();
/** Validated options of the `canary` rule. */
export type CanaryOptions = z.infer<typeof canaryOptionsSchema>;

/** Word positions of a words view: each token's start and end in the view. */
function tokens(view: TextView): { word: string; from: number; to: number }[] {
  const out: { word: string; from: number; to: number }[] = [];
  for (const m of view.text.matchAll(/[^ ]+/g))
    out.push({ word: m[0], from: m.index, to: m.index + m[0].length });
  return out;
}

function shingles(prompt: string, n: number): Set<string> {
  const words = tokens(wordsView(baseView(prompt))).map((t) => t.word);
  const set = new Set<string>();
  for (let i = 0; i + n <= words.length; i++)
    set.add(words.slice(i, i + n).join(' '));
  return set;
}

/**
 * System-prompt leak detection: output containing the canary token (also when
 * case-changed, split by invisible characters or spaced out), or a run of
 * `minOverlapWords` consecutive words copied from the system prompt.
 */
export class CanaryRule implements Rule {
  readonly kind = 'leak' as const;
  readonly redactable = true;
  private readonly configShingles: Set<string> | undefined;
  private cached: { prompt: string; shingles: Set<string> } | undefined;

  constructor(
    readonly id: string,
    private readonly options: CanaryOptions,
  ) {
    this.configShingles = options.systemPrompt
      ? shingles(options.systemPrompt, options.minOverlapWords)
      : undefined;
  }

  check(text: string, ctx: RuleContext): RuleCheckResult {
    const findings: Finding[] = [];
    const base = baseView(text);
    const canary = ctx.canary ?? this.options.canary;
    if (canary) {
      for (const span of findCanary(base, canary))
        findings.push({ type: 'CANARY', span, preview: '[CANARY]' });
    }
    const prompt = ctx.systemPrompt;
    const set = prompt ? this.promptShingles(prompt) : this.configShingles;
    if (set && set.size > 0) {
      const words = wordsView(base);
      const toks = tokens(words);
      const n = this.options.minOverlapWords;
      let covered = -1;
      for (let i = 0; i + n <= toks.length; i++) {
        const key = toks
          .slice(i, i + n)
          .map((t) => t.word)
          .join(' ');
        if (!set.has(key)) continue;
        const span = viewSpan(words, toks[i]!.from, toks[i + n - 1]!.to);
        const last = findings.at(-1);
        if (last?.type === 'SYSTEM_PROMPT_OVERLAP' && i <= covered) {
          findings[findings.length - 1] = {
            ...last,
            span: { start: last.span.start, end: span.end },
          };
        } else {
          findings.push({
            type: 'SYSTEM_PROMPT_OVERLAP',
            span,
            preview: '[SYSTEM_PROMPT_OVERLAP]',
          });
        }
        covered = i + n - 1;
      }
    }
    if (findings.length === 0) return { triggered: false, findings };
    const types = [...new Set(findings.map((f) => f.type))].join(', ');
    return {
      triggered: true,
      findings,
      reason: `system prompt leak: ${types}`,
    };
  }

  private promptShingles(prompt: string): Set<string> {
    if (this.cached?.prompt !== prompt) {
      this.cached = {
        prompt,
        shingles: shingles(prompt, this.options.minOverlapWords),
      };
    }
    return this.cached.shingles;
  }
}

function findCanary(base: TextView, canary: string): Span[] {
  const needle = baseView(canary).text;
  const spans: Span[] = [];
  let at = base.text.indexOf(needle);
  while (at !== -1 && spans.length < 16) {
    spans.push(viewSpan(base, at, at + needle.length));
    at = base.text.indexOf(needle, at + needle.length);
  }
  if (spans.length > 0) return spans;
  // Spelled out or split with punctuation: compare letters and digits only.
  const squash = (s: string): { text: string; idx: number[] } => {
    const idx: number[] = [];
    let out = '';
    for (let i = 0; i < s.length; i++) {
      if (/[a-z0-9]/.test(s[i]!)) {
        out += s[i];
        idx.push(i);
      }
    }
    return { text: out, idx };
  };
  const hay = squash(base.text);
  const pin = squash(needle).text;
  if (pin.length < 8) return spans;
  const found = hay.text.indexOf(pin);
  if (found !== -1)
    spans.push(
      viewSpan(base, hay.idx[found]!, hay.idx[found + pin.length - 1]! + 1),
    );
  return spans;
}

/** Factory of the `canary` rule. */
export const canaryRuleFactory: RuleFactory<CanaryOptions> = {
  kind: 'leak',
  parseOptions: (options) => canaryOptionsSchema.parse(options ?? {}),
  create: (id, options) => new CanaryRule(id, options),
};
