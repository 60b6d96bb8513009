import { DEFAULT_TOOL_EXAMPLES } from './default-tool-examples.js';
import type { EntityMatch, EntityResolver } from './ports.js';
import { STOPWORDS, stem, wordTokens } from './text-features.js';

/** Matches below this are not taken as a mention of the account. */
export const ACCOUNT_MATCH_MIN = 0.55;
/** A match this strong is taken as meant unless a rival is as strong. */
const STRONG_MATCH = 0.75;
/** Two matches closer than this make a name ambiguous. */
const AMBIGUITY_MARGIN = 0.03;

/** Words that describe what is asked, never which record: not name candidates. */
const REQUEST_WORDS: ReadonlySet<string> = new Set([
  ...STOPWORDS,
  ...Object.values(DEFAULT_TOOL_EXAMPLES)
    .flat()
    .flatMap((e) => wordTokens(e))
    .flatMap((w) => [w, stem(w)]),
  ...(
    'account accounts customer customers client deal deals opportunity opportunities opp opps ' +
    'use case cases renewal expansion stage amount date close closing forecast category next step ' +
    'email emails mail draft write proposal update move set change mark push go-live live sponsor ' +
    'blocker blockers negotiation closed won lost discovery qualification prospecting implementation ' +
    'scoping paused validation technical commit pipeline omitted best call meeting today tomorrow ' +
    'week weeks month months quarter year days day end by january february march april may june july ' +
    'august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'monday tuesday wednesday thursday friday saturday sunday hi hello hey thanks thank ok okay ' +
    'lumen connect stream lakehouse warehouse govern studio ai their them they it this that ' +
    'snowflake databricks confluent bigquery redshift fivetran google amazon ' +
    'follow-up followup prospect prospecting intro introduction cto cfo ceo cio cdo vp head ' +
    'status health overview summary brief briefing 360 trend trends usage consumption spend ' +
    'support ticket tickets hygiene similar lookalike ' +
    'going soon missing overdue past more most top latest recent new old last first'
  ).split(' '),
]);

/** A phrase of the request that may name a record. */
export interface NameCandidate {
  readonly text: string;
  /** Follows "for", "with", "at", "about", "on" or is possessive: likely an account. */
  readonly afterAccountCue: boolean;
  /**
   * The tail of a longer phrase ("Bank" of "Contoso Bank"): may name a
   * record, never an account (it would match every "… Bank").
   */
  readonly suffix?: boolean;
}

const ACCOUNT_CUES = new Set([
  'for',
  'with',
  'at',
  'about',
  'on',
  'from',
  'of',
]);

/**
 * Phrases that may name an account or contact: runs of capitalised words
 * ("Blue Harbor Insurance", "Sam Jensen") and runs of words that are not
 * request vocabulary ("acmee corp"). Longest first, no duplicates.
 */
export function nameCandidates(message: string): NameCandidate[] {
  const raw = [...message.matchAll(/[A-Za-z0-9][A-Za-z0-9&.'-]*/g)].map(
    (m) => ({
      text: m[0].replace(/'s$/i, '').replace(/[.']+$/, ''),
      possessive: /'s$/i.test(m[0]),
      index: m.index,
    }),
  );
  const found = new Map<string, NameCandidate>();
  const push = (words: typeof raw, start: number, end: number) => {
    if (end <= start) return;
    const text = words
      .slice(start, end)
      .map((w) => w.text)
      .join(' ');
    const before = raw[raw.indexOf(words[start] as (typeof raw)[number]) - 1];
    const cue =
      (before !== undefined && ACCOUNT_CUES.has(before.text.toLowerCase())) ||
      (words[end - 1]?.possessive ?? false);
    const key = text.toLowerCase();
    const previous = found.get(key);
    found.set(key, {
      text,
      afterAccountCue: cue || (previous?.afterAccountCue ?? false),
    });
  };
  const isName = (w: string) =>
    !REQUEST_WORDS.has(w.toLowerCase()) && !/^\d/.test(w);
  const isCapital = (w: string, i: number) =>
    /^[A-Z]/.test(w) && (i > 0 || isName(w)) && !STOPWORDS.has(w.toLowerCase());
  for (const test of [isName, isCapital]) {
    let start = -1;
    raw.forEach((w, i) => {
      const ok = test(w.text, i) && !/^(acc|opp|uc|con)-/.test(w.text);
      if (ok && start < 0) start = i;
      if (!ok && start >= 0) {
        push(raw, start, i);
        start = -1;
      }
      if (ok && w.possessive) {
        push(raw, start, i + 1);
        start = -1;
      }
    });
    if (start >= 0) push(raw, start, raw.length);
  }
  // Sub-phrases too: "Acme SaaS connectors" may name the account "Acme".
  for (const candidate of [...found.values()]) {
    const words = candidate.text.split(' ');
    for (let n = words.length - 1; n >= 1; n--) {
      const prefix = words.slice(0, n).join(' ');
      const suffix = words.slice(words.length - n).join(' ');
      if (!found.has(prefix.toLowerCase()))
        found.set(prefix.toLowerCase(), {
          text: prefix,
          afterAccountCue: candidate.afterAccountCue,
        });
      if (!found.has(suffix.toLowerCase()))
        found.set(suffix.toLowerCase(), {
          text: suffix,
          afterAccountCue: false,
          suffix: true,
        });
    }
  }
  return [...found.values()].sort((a, b) => b.text.length - a.text.length);
}

/** The account a request names, as the resolver sees it. */
export interface AccountMention {
  /** The phrase to look up with `find_accounts`. */
  readonly query: string;
  /** Matches for the phrase, best first (may be empty: unknown or not visible). */
  readonly matches: readonly EntityMatch[];
}

/**
 * Finds which phrase of the request names an account: every candidate is
 * looked up (at most eight), the best score wins, then a phrase after an
 * account cue ("for Acme"), then the longer phrase. When nothing resolves,
 * the cue phrase (or the longest capitalised one) is still returned with no
 * matches, so the lookup runs as the user and reports "not found".
 */
export async function findAccountMention(
  resolver: EntityResolver,
  message: string,
): Promise<AccountMention | undefined> {
  const candidates = nameCandidates(message)
    .filter((c) => c.suffix !== true)
    .slice(0, 8);
  let best:
    { candidate: NameCandidate; matches: readonly EntityMatch[] } | undefined;
  for (const candidate of candidates) {
    if (candidate.suffix === true) continue;
    const matches = await resolver.findAccounts(candidate.text);
    const top = matches[0];
    if (!top || judgeMatches(matches).kind === 'none') continue;
    const current = best?.matches[0]?.score ?? -1;
    if (
      !best ||
      top.score > current + 0.001 ||
      (Math.abs(top.score - current) <= 0.001 &&
        candidate.afterAccountCue &&
        !best.candidate.afterAccountCue)
    ) {
      best = { candidate, matches };
    }
  }
  if (best) return { query: best.candidate.text, matches: best.matches };
  const fallback =
    candidates.find((c) => c.afterAccountCue) ??
    candidates.find((c) => /^[A-Z]/.test(c.text));
  return fallback ? { query: fallback.text, matches: [] } : undefined;
}

/** What a list of account matches means for the request. */
export type MatchVerdict =
  | { readonly kind: 'clear'; readonly match: EntityMatch }
  | { readonly kind: 'ambiguous'; readonly options: readonly EntityMatch[] }
  | { readonly kind: 'none' };

/**
 * Judges account matches (best first): an exact match wins unless another
 * is exact too; a strong best (≥ 0.75) with rivals within a small margin is
 * ambiguous; a weaker best (≥ 0.55, e.g. a typo like "acmee") counts
 * only when nothing else is close, otherwise the phrase most likely names an account the user cannot see and
 * merely shares a word ("Bank") with others.
 */
export function judgeMatches(matches: readonly EntityMatch[]): MatchVerdict {
  const top = matches[0];
  if (!top || top.score < ACCOUNT_MATCH_MIN) return { kind: 'none' };
  const close = matches.filter((m) => m.score >= top.score - AMBIGUITY_MARGIN);
  // An exact match wins unless another is exact too.
  if (top.score >= 0.999) {
    const exact = close.filter((m) => m.score >= 0.999);
    return exact.length === 1
      ? { kind: 'clear', match: top }
      : { kind: 'ambiguous', options: exact.slice(0, 4) };
  }
  if (close.length === 1) return { kind: 'clear', match: top };
  return top.score >= STRONG_MATCH
    ? { kind: 'ambiguous', options: close.slice(0, 4) }
    : { kind: 'none' };
}
