import { z } from 'zod';
import type {
  Finding,
  Rule,
  RuleCheckResult,
  RuleFactory,
  Span,
} from '../types.js';
import { decodeSegments, mayHoldEncodedRuns } from '../text/decode.js';
import {
  baseView,
  compactView,
  rot13View,
  textViews,
  viewSpan,
  wordsView,
  type TextView,
} from '../text/normalize.js';
import {
  INJECTION_SIGNALS,
  type InjectionFamily,
  type SignalSpec,
} from './injection-signals.js';

/** Options of the `prompt-injection` rule. */
export const promptInjectionOptionsSchema = z
  .object({
    /** Score at or above which the rule triggers. */
    threshold: z.number().positive().default(1),
    /** Domains (and their subdomains) that count as internal destinations, not exfiltration targets. */
    trustedDomains: z.array(z.string().min(1)).default([]),
    /** Weight of an external e-mail address or URL in the text. */
    destinationWeight: z.number().min(0).max(1).default(0.45),
    /** Weight added when a signal was found only after decoding or de-obfuscating. */
    obfuscationWeight: z.number().min(0).max(1).default(0.3),
    /** Cap on the decoded base64/hex text scanned per check, to bound work. */
    maxDecodedChars: z.number().int().positive().default(16_384),
    /**
     * Skip work that cannot change the result: a view's signals when one
     * combined pattern of them finds nothing, and decoding when the text has
     * no base64/hex-like run. Verdicts are identical either way; off only to
     * measure what the pre-filters save.
     */
    prefilter: z.boolean().default(true),
  })
  .strict();

/** Validated options of the `prompt-injection` rule. */
export type PromptInjectionOptions = z.infer<
  typeof promptInjectionOptionsSchema
>;

interface CompiledSignal {
  readonly spec: SignalSpec;
  readonly regex: RegExp;
}

interface Hit {
  readonly id: string;
  readonly family: InjectionFamily;
  readonly weight: number;
  readonly spans: Span[];
  obfuscated: boolean;
}

const MAX_MATCHES_PER_SIGNAL = 16;
const NON_LETTERS = /[^a-z]+/g;
// Scripts and code points that only appear in injected text to dodge filters.
const OBFUSCATING_CHARS =
  /[\u0370-\u03ff\u0400-\u04ff\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3000\uff00-\uffef\ufeff]|\ud835/;
const EMAIL =
  /(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}@([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8})(?![a-z0-9-])/g;
const URL =
  /(?<![a-z0-9])https?:\/\/([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8})/g;

/**
 * The prompt-injection and jailbreak detector. It normalizes the text into
 * several views (folded, words, letters-only, ROT13, decoded base64/hex
 * segments), matches weighted signals on each, and triggers when the summed
 * weight of distinct signals reaches the threshold. Findings carry the spans
 * of the matched signals (a whole encoded segment when found inside one).
 */
export class PromptInjectionRule implements Rule {
  readonly kind = 'injection' as const;
  readonly redactable = true;
  private readonly byView: Record<SignalSpec['view'], CompiledSignal[]>;
  private readonly rot13Signals: CompiledSignal[];
  // One alternation of all a view's patterns: it matches somewhere exactly
  // when at least one of them does, in one pass instead of one per signal.
  private readonly anyByView: Record<SignalSpec['view'], RegExp | undefined>;
  private readonly anyRot13: RegExp | undefined;
  private readonly anyRot13Encoded: RegExp | undefined;
  private readonly trusted: readonly string[];

  constructor(
    readonly id: string,
    private readonly options: PromptInjectionOptions,
  ) {
    const compiled = INJECTION_SIGNALS.map((spec) => ({
      spec,
      regex: new RegExp(spec.pattern, 'g'),
    }));
    this.byView = { words: [], base: [], raw: [], compact: [] };
    for (const c of compiled) this.byView[c.spec.view].push(c);
    this.rot13Signals = compiled.filter((c) => c.spec.rot13 === true);
    this.anyByView = {
      words: anyOf(this.byView.words),
      base: anyOf(this.byView.base),
      raw: anyOf(this.byView.raw),
      compact: anyOf(this.byView.compact),
    };
    this.anyRot13 = anyOf(this.rot13Signals);
    const encoded = this.anyRot13 && rot13Pattern(this.anyRot13.source);
    this.anyRot13Encoded = encoded ? new RegExp(encoded) : undefined;
    this.trusted = options.trustedDomains.map((d) => d.toLowerCase());
  }

  check(text: string): RuleCheckResult {
    const hits = new Map<string, Hit>();
    const { base, words } = textViews(text);
    this.scanViews(text, base, words, hits, undefined);
    // ROT13 of the whole text: an encoded instruction becomes readable, ordinary text becomes noise.
    // The ROT13-ed combined pattern tested on the plain words finds the same
    // positions as the pattern on the ROT13 view, which is only built on a match.
    if (
      !this.options.prefilter ||
      !this.anyRot13Encoded ||
      this.anyRot13Encoded.test(words.text)
    ) {
      this.scan(
        rot13View(words),
        this.rot13Signals,
        hits,
        undefined,
        true,
        undefined,
        this.anyRot13,
      );
    }
    if (!this.options.prefilter || mayHoldEncodedRuns(text)) {
      for (const seg of decodeSegments(text, this.options.maxDecodedChars)) {
        const segBase = baseView(seg.text);
        this.scanViews(seg.text, segBase, wordsView(segBase), hits, seg.span);
      }
    }
    this.scanDestinations(base, hits);

    let score = 0;
    let obfuscated = false;
    for (const hit of hits.values()) {
      score += hit.weight;
      if (hit.obfuscated) obfuscated = true;
      else if (
        hit.spans.some((s) =>
          OBFUSCATING_CHARS.test(text.slice(s.start, s.end)),
        )
      )
        obfuscated = true;
    }
    if (obfuscated && hits.size > 0) score += this.options.obfuscationWeight;
    score = Math.round(score * 100) / 100;
    const triggered = score >= this.options.threshold;
    if (!triggered) return { triggered, score, findings: [] };

    const findings: Finding[] = [];
    const families = new Set<string>();
    for (const hit of hits.values()) {
      families.add(hit.family);
      for (const span of hit.spans) {
        findings.push({
          type: `INJECTION_${hit.family.toUpperCase()}`,
          span,
          preview: `signal:${hit.id}`,
        });
      }
    }
    return {
      triggered,
      score,
      findings,
      reason: `injection score ${score} >= ${this.options.threshold} (${[...families].sort().join(', ')})`,
    };
  }

  private scanViews(
    raw: string,
    base: TextView,
    words: TextView,
    hits: Map<string, Hit>,
    segment: Span | undefined,
  ): void {
    const obfuscated = segment !== undefined;
    const rawView: TextView = { text: raw };
    const any = this.anyByView;
    this.scan(
      rawView,
      this.byView.raw,
      hits,
      segment,
      obfuscated,
      undefined,
      any.raw,
    );
    this.scan(
      base,
      this.byView.base,
      hits,
      segment,
      obfuscated,
      undefined,
      any.base,
    );
    this.scan(
      words,
      this.byView.words,
      hits,
      segment,
      obfuscated,
      undefined,
      any.words,
    );
    const wordHits = new Set(hits.keys());
    // The letters alone are the compact view's text; its offset mapping is
    // only built when a compact signal can match.
    if (
      !this.options.prefilter ||
      !any.compact ||
      any.compact.test(words.text.replace(NON_LETTERS, ''))
    ) {
      this.scan(
        compactView(words),
        this.byView.compact,
        hits,
        segment,
        obfuscated,
        wordHits,
        any.compact,
      );
    }
    // A letters-only match over text with about as many separators as letters is spelled out (`i g n o r e`).
    for (const c of this.byView.compact) {
      const hit = hits.get(c.spec.id);
      if (!hit || wordHits.has(c.spec.id) || segment) continue;
      if (hit.spans.some((s) => spelledOut(raw.slice(s.start, s.end))))
        hit.obfuscated = true;
    }
  }

  private scan(
    view: TextView,
    signals: readonly CompiledSignal[],
    hits: Map<string, Hit>,
    segment: Span | undefined,
    obfuscated: boolean,
    alreadyFound?: ReadonlySet<string>,
    anySignal?: RegExp,
  ): void {
    // The combined pattern finds the leftmost position where any signal
    // matches: none matches before it, so each signal's scan starts there.
    let from = 0;
    if (this.options.prefilter && anySignal) {
      const first = anySignal.exec(view.text);
      if (first === null) return;
      from = first.index;
    }
    for (const { spec, regex } of signals) {
      if (alreadyFound?.has(spec.id)) continue;
      regex.lastIndex = from;
      let count = 0;
      let m: RegExpExecArray | null;
      while (
        count < MAX_MATCHES_PER_SIGNAL &&
        (m = regex.exec(view.text)) !== null
      ) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        count++;
        // Words-view patterns consume the space before their first token.
        const from = m[0].charCodeAt(0) === 32 ? m.index + 1 : m.index;
        const span = segment ?? viewSpan(view, from, m.index + m[0].length);
        const existing = hits.get(spec.id);
        if (existing) {
          if (
            !existing.spans.some(
              (s) => s.start === span.start && s.end === span.end,
            )
          )
            existing.spans.push(span);
          existing.obfuscated &&= obfuscated;
        } else {
          hits.set(spec.id, {
            id: spec.id,
            family: spec.family,
            weight: spec.weight,
            spans: [span],
            obfuscated,
          });
        }
      }
    }
  }

  private scanDestinations(base: TextView, hits: Map<string, Hit>): void {
    if (this.options.destinationWeight === 0) return;
    const spans: Span[] = [];
    // Most text names no address at all: skip the patterns' per-position work.
    const patterns = [
      ...(base.text.includes('@') ? [EMAIL] : []),
      ...(base.text.includes('://') ? [URL] : []),
    ];
    for (const re of patterns) {
      re.lastIndex = 0;
      for (const m of base.text.matchAll(re)) {
        const domain = m[1] ?? '';
        if (this.isTrusted(domain)) continue;
        spans.push(viewSpan(base, m.index, m.index + m[0].length));
        if (spans.length >= MAX_MATCHES_PER_SIGNAL) break;
      }
    }
    if (spans.length > 0) {
      hits.set('tool.external-destination', {
        id: 'tool.external-destination',
        family: 'tool_coercion',
        weight: this.options.destinationWeight,
        spans,
        obfuscated: false,
      });
    }
  }

  private isTrusted(domain: string): boolean {
    return this.trusted.some((t) => domain === t || domain.endsWith(`.${t}`));
  }
}

const WORDS_OPEN = ' (?:';
const WORDS_CLOSE = ')(?= )';

/**
 * A non-global alternation of the signals' patterns, for a yes/no test; none
 * when there are no signals. Words-view patterns share the token-edge anchors
 * (` (?:…)(?= )`), so those are factored out: one space test per position
 * instead of one per signal.
 */
function anyOf(signals: readonly CompiledSignal[]): RegExp | undefined {
  if (signals.length === 0) return undefined;
  const inners = signals.map((c) => anchoredInner(c.spec.pattern));
  if (inners.every((inner) => inner !== undefined)) {
    return new RegExp(
      `${WORDS_OPEN}${inners.map((i) => `(?:${i})`).join('|')}${WORDS_CLOSE}`,
    );
  }
  return new RegExp(signals.map((c) => `(?:${c.spec.pattern})`).join('|'));
}

/** The inner pattern of ` (?:inner)(?= )`, when it is one whole, valid group. */
function anchoredInner(pattern: string): string | undefined {
  if (!pattern.startsWith(WORDS_OPEN) || !pattern.endsWith(WORDS_CLOSE))
    return undefined;
  const inner = pattern.slice(WORDS_OPEN.length, -WORDS_CLOSE.length);
  // An inner part that compiles alone has balanced groups, so the wrapper group spans exactly it.
  try {
    new RegExp(inner);
  } catch {
    return undefined;
  }
  return inner;
}

/**
 * The pattern that matches a text exactly where `pattern` matches its ROT13
 * (as {@link rot13View} makes it: a–z rotated, everything else kept):
 * lower-case literals and class members rotated; `\w`, `\s`, `\d` and `\b` are
 * unchanged by ROT13. None for a construct it cannot carry over (other
 * escapes, class ranges, named groups).
 */
function rot13Pattern(pattern: string): string | undefined {
  const rot = (c: string): string => {
    const code = c.charCodeAt(0);
    return code >= 97 && code <= 122
      ? String.fromCharCode(((code - 84) % 26) + 97)
      : c;
  };
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[a-z]/i.test(next) && !'wWsSdDb'.includes(next)) return undefined;
      out += c + next;
      i++;
    } else if (inClass) {
      if (c === '-' && pattern[i - 1] !== '[' && pattern[i + 1] !== ']')
        return undefined;
      if (c === ']') inClass = false;
      out += rot(c);
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4);
      if (!/^(?::|=|!|<=|<!)/.test(kind)) return undefined;
      const length = kind.startsWith('<') ? 4 : 3;
      out += pattern.slice(i, i + length);
      i += length - 1;
    } else {
      out += rot(c);
    }
  }
  return out;
}

function spelledOut(slice: string): boolean {
  let letters = 0;
  let separators = 0;
  for (const ch of slice) {
    if (/\p{L}/u.test(ch)) letters++;
    else separators++;
  }
  return separators * 2 >= letters;
}

/** Factory of the `prompt-injection` rule. */
export const promptInjectionRuleFactory: RuleFactory<PromptInjectionOptions> = {
  kind: 'injection',
  parseOptions: (options) => promptInjectionOptionsSchema.parse(options ?? {}),
  create: (id, options) => new PromptInjectionRule(id, options),
};
