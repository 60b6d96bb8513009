/**
 * Text normalization shared by fact matching and groundedness.
 *
 * Rules (explicit on purpose, since metrics depend on them):
 * - Unicode NFKD, combining marks dropped, lower case; camelCase words are
 *   split ("arrUsd" → "arr usd") so JSON keys of tool results count as words.
 * - A number expression becomes one token `#<value>`: an optional currency
 *   symbol ($ € £ ¥, ignored), digits with optional `,` thousands groups and
 *   an optional `.` decimal part, then an optional scale — `k`, `m`/`mm`,
 *   `b`/`bn` glued to the digits, or the words thousand, million, billion,
 *   trillion — and an optional `%` or "percent", which yields `#<value>%`.
 *   So "$1.2M", "1,200,000" and "1.2 million" are all `#1200000`; "3.00"
 *   and "3" are both `#3`; "22%" and "22 percent" are `#22%` but differ from
 *   `#22`. Only the en-US convention is read: "1.200.000" is not a million.
 * - Digits glued to letters ("q3", "gpt-4o", "fy2026") stay words.
 * - Everything else is a word of letters and digits; punctuation separates.
 */

const NUMBER_OR_WORD =
  /(?<![\p{L}\p{N}.,])([$€£¥])?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:(k|mm|m|bn|b)(?![\p{L}\p{N}])|\s+(thousand|million|billion|trillion)(?![\p{L}]))?(\s?%|\s+percent(?![\p{L}]))?(?![\p{L}\p{N}])|[\p{L}\p{N}]+/gu;

const SCALE: Readonly<Record<string, number>> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mm: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  trillion: 1e12,
};

/** True when a token produced by {@link tokenize} is a number token. */
export function isNumberToken(token: string): boolean {
  return token.startsWith('#');
}

/** Prepares text for tokenizing: compatibility forms, no accents, camelCase split, lower case. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .toLowerCase();
}

/** Splits text into normalized word and number tokens (see the module rules). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of foldText(text).matchAll(NUMBER_OR_WORD)) {
    const [whole, , integer, fraction, glued, word, percent] = match;
    if (integer === undefined) {
      tokens.push(whole);
      continue;
    }
    const base = Number(`${integer.replaceAll(',', '')}.${fraction ?? '0'}`);
    const scale = SCALE[glued ?? word ?? ''] ?? 1;
    // 12 significant digits absorb binary rounding (1.2 * 1e6) without merging distinct figures.
    const value = Number((base * scale).toPrecision(12));
    tokens.push(`#${value}${percent === undefined ? '' : '%'}`);
  }
  return tokens;
}

/** Small words a fact phrase may use differently from the answer ("ARR of $1.2M" vs "ARR is $1.2M"). Negations are never dropped. */
const FACT_FILLERS = new Set([
  'a',
  'an',
  'the',
  'of',
  'is',
  'are',
  'was',
  'were',
  'be',
  'at',
  'to',
  'in',
  'on',
  'for',
  'and',
  'by',
  'with',
  'its',
  'their',
  'as',
  'per',
]);

/** Tokens of a fact or answer for phrase matching: {@link tokenize} without filler words. */
export function factTokens(text: string): string[] {
  return tokenize(text).filter((t) => !FACT_FILLERS.has(t));
}

/**
 * True when `text` states `fact`: the fact's tokens (fillers dropped)
 * appear contiguously, in order, in the text's tokens. Case, whitespace,
 * punctuation and number formats do not matter (see the module rules).
 */
export function containsFact(text: string, fact: string): boolean {
  const needle = factTokens(fact);
  if (needle.length === 0) return false;
  return indexOfSequence(factTokens(text), needle) >= 0;
}

function indexOfSequence(
  haystack: readonly string[],
  needle: readonly string[],
): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

/** Whitespace collapsed, quotes and dashes unified, lower case: for substring checks of quoted text. */
export function normalizeForQuote(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Words that carry no claim: ignored when measuring lexical support. */
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each few for from further had has ' +
    'have having he her here hers him his how i if in into is it its itself just let me more most my no ' +
    'nor not of off on once only or other our ours out over own same she should so some such than that ' +
    'the their theirs them then there these they this those through to too under until up very was we ' +
    'were what when where which while who whom why will with would you your yours currently based found ' +
    'following shows show according summary overview note here'
  ).split(' '),
);

/** Content words of text for lexical support: no stopwords, no numbers, plural `s` folded. */
export function contentWords(text: string): string[] {
  return tokenize(text)
    .filter((t) => !isNumberToken(t) && !STOPWORDS.has(t) && t.length > 1)
    .map(stem);
}

/** Number tokens of text (see {@link tokenize}). */
export function numberTokens(text: string): string[] {
  return tokenize(text).filter(isNumberToken);
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss'))
    return word.slice(0, -1);
  return word;
}

const ABBREVIATIONS =
  /\b(e\.g|i\.e|vs|etc|inc|corp|ltd|mr|mrs|ms|dr|no|approx|co)\.$/i;

/**
 * Splits an answer into sentences: line breaks and markdown list items end a
 * sentence; `.`, `!` or `?` followed by whitespace end one unless the dot
 * closes a known abbreviation. Markdown emphasis, headings, bullets and
 * citation markers (`[1]`, `[^1]`) are removed.
 */
export function splitSentences(answer: string): string[] {
  const sentences: string[] = [];
  for (const rawLine of answer.split(/\r?\n/)) {
    const line = rawLine
      .replace(/^\s*(?:#{1,6}\s+|[-*+•]\s+|\d+[.)]\s+|>\s*)/, '')
      .replace(/\[\^?\d+\]/g, '')
      .replace(/[*_`]{1,3}/g, '')
      .trim();
    if (line === '') continue;
    let start = 0;
    const boundary = /[.!?]+["')\]]?(?=\s+)/g;
    for (const match of line.matchAll(boundary)) {
      const end = match.index + match[0].length;
      const candidate = line.slice(start, end).trim();
      if (ABBREVIATIONS.test(candidate)) continue;
      if (candidate !== '') sentences.push(candidate);
      start = end;
    }
    const rest = line.slice(start).trim();
    if (rest !== '') sentences.push(rest);
  }
  return sentences;
}
