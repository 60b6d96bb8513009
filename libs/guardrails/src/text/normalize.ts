/**
 * A derived view of a text: the view's characters and a way back to the
 * original offsets, so a match in the view maps to a span of the original.
 * A view has per-character offsets (`starts`/`ends`), or is built from a
 * `parent` view by runs (`segView[k]` in this view starts at `segSrc[k]` in
 * the parent), or neither (identity).
 */
export interface TextView {
  readonly text: string;
  readonly starts?: Int32Array;
  readonly ends?: Int32Array;
  readonly parent?: TextView;
  readonly segView?: Int32Array;
  readonly segSrc?: Int32Array;
}

function locate(view: TextView, i: number): number {
  const segView = view.segView!;
  const segSrc = view.segSrc!;
  let lo = 0;
  let hi = segView.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segView[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return segSrc[lo]! + (i - segView[lo]!);
}

function startOf(view: TextView, i: number): number {
  if (view.parent) return startOf(view.parent, locate(view, i));
  return view.starts ? (view.starts[i] ?? 0) : i;
}

function endOf(view: TextView, i: number): number {
  if (view.parent) return endOf(view.parent, locate(view, i));
  return view.ends ? (view.ends[i] ?? 0) : i + 1;
}

// Zero-width, bidi controls, soft hyphen, joiners, variation selectors and
// tag characters: invisible, used to split trigger words.
const IGNORABLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xe0000, 0xe007f],
];

function ignorable(codePoint: number): boolean {
  return IGNORABLE_RANGES.some(
    ([lo, hi]) => codePoint >= lo && codePoint <= hi,
  );
}

// Look-alikes from Cyrillic, Greek and IPA, folded before lower-casing so
// upper and lower forms can map differently (Greek Ν is N, ν is v).
const HOMOGLYPHS: Record<string, string> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Ԁ: 'D',
  Ԛ: 'Q',
  Ԝ: 'W',
  а: 'a',
  е: 'e',
  ё: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  к: 'k',
  м: 'm',
  н: 'h',
  т: 't',
  в: 'b',
  г: 'r',
  п: 'n',
  ь: 'b',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ϲ: 'c',
  ɡ: 'g',
  ı: 'i',
  ȷ: 'j',
  ɑ: 'a',
  ɩ: 'i',
  ʏ: 'y',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  ħ: 'h',
  ŧ: 't',
};

const foldCache = new Map<string, string>();
const FOLD_CACHE_LIMIT = 4096;

function foldChar(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let folded = '';
  // NFKD turns full-width, mathematical and circled letters into ASCII and
  // splits accents off so they can be dropped.
  for (const part of ch.normalize('NFKD')) {
    if (/\p{M}/u.test(part)) continue;
    folded += HOMOGLYPHS[part] ?? part;
  }
  folded = folded.toLowerCase();
  if (foldCache.size < FOLD_CACHE_LIMIT) foldCache.set(ch, folded);
  return folded;
}

/**
 * The base view: NFKC/NFKD compatibility folding, accents dropped, homoglyphs
 * folded to Latin, invisible and bidi characters removed, lower-cased.
 */
export function baseView(text: string): TextView {
  // Plain ASCII (most traffic) only needs lower-casing, with an identity mapping.
  if (!/[^\p{ASCII}]/u.test(text)) return { text: text.toLowerCase() };
  let out = '';
  const starts = new Int32Array(text.length * 3);
  const ends = new Int32Array(text.length * 3);
  let n = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const width =
      code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    if (code < 128) {
      out +=
        code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[i];
      starts[n] = i;
      ends[n++] = i + 1;
    } else {
      const ch = width === 2 ? text.slice(i, i + 2) : text[i]!;
      if (!ignorable(ch.codePointAt(0)!)) {
        for (const part of foldChar(ch)) {
          for (let k = 0; k < part.length; k++) {
            out += part[k];
            starts[n] = i;
            ends[n++] = i + width;
          }
        }
      }
    }
    i += width;
  }
  return {
    text: out,
    starts: starts.subarray(0, n),
    ends: ends.subarray(0, n),
  };
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

// Segment lists grow as runs are found; plain arrays are converted once at the end.
function segmented(
  text: string,
  parent: TextView,
  segView: number[],
  segSrc: number[],
): TextView {
  return {
    text,
    parent,
    segView: new Int32Array(segView),
    segSrc: new Int32Array(segSrc),
  };
}

const TOKEN = /[\p{L}\p{N}@$]+/gu;
const LEET_CHARS = /[013457@$]/g;
const HAS_LEET = /[013457@$]/;

/**
 * The words view of a base view: tokens of letters and digits separated by
 * single spaces, with light leetspeak folding inside tokens that mix letters
 * with digits (`1gn0r3` → `ignore`, while `2024` stays). Starts and ends with
 * a space so patterns can anchor on token edges.
 */
export function wordsView(base: TextView): TextView {
  const src = base.text;
  if (!NON_ASCII.test(src)) return asciiWordsView(base);
  const parts: string[] = [' '];
  const segView: number[] = [0];
  const segSrc: number[] = [0];
  let length = 1;
  let previousEnd = 0;
  for (const m of src.matchAll(TOKEN)) {
    let token = m[0];
    // Most tokens are plain words: one test rules out both rewrites.
    if (HAS_LEET.test(token)) {
      if (/[a-z]/.test(token) && /[^013457@$0-9]/.test(token)) {
        token = token.replace(LEET_CHARS, (c) => LEET[c] ?? c);
      } else if (token.includes('@') || token.includes('$')) {
        token = token.replace(/[@$]/g, ' ');
      }
    }
    if (length > 1) {
      parts.push(' ');
      segView.push(length);
      segSrc.push(previousEnd);
      length++;
    }
    parts.push(token);
    segView.push(length);
    segSrc.push(m.index);
    length += token.length;
    previousEnd = m.index + m[0].length;
  }
  parts.push(' ');
  segView.push(length);
  segSrc.push(Math.max(0, src.length - 1));
  return segmented(parts.join(''), base, segView, segSrc);
}

const NON_ASCII = /[^\p{ASCII}]/u;

function isAsciiTokenChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 64 ||
    c === 36
  );
}

/**
 * {@link wordsView} for ASCII text (most traffic): the same tokens and
 * folding, found with a char-code loop instead of a Unicode-property regex,
 * which costs several times more per token.
 */
function asciiWordsView(base: TextView): TextView {
  const src = base.text;
  const parts: string[] = [' '];
  const segView: number[] = [0];
  const segSrc: number[] = [0];
  let length = 1;
  let previousEnd = 0;
  let i = 0;
  while (i < src.length) {
    if (!isAsciiTokenChar(src.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < src.length && isAsciiTokenChar(src.charCodeAt(i))) i++;
    const raw = src.slice(start, i);
    let token = raw;
    if (HAS_LEET.test(token)) {
      if (/[a-z]/.test(token) && /[^013457@$0-9]/.test(token)) {
        token = token.replace(LEET_CHARS, (c) => LEET[c] ?? c);
      } else if (token.includes('@') || token.includes('$')) {
        token = token.replace(/[@$]/g, ' ');
      }
    }
    if (length > 1) {
      parts.push(' ');
      segView.push(length);
      segSrc.push(previousEnd);
      length++;
    }
    parts.push(token);
    segView.push(length);
    segSrc.push(start);
    length += token.length;
    previousEnd = start + raw.length;
  }
  parts.push(' ');
  segView.push(length);
  segSrc.push(Math.max(0, src.length - 1));
  return segmented(parts.join(''), base, segView, segSrc);
}

/** The compact view: letters only, so `i g n o r e` and `i.g.n.o.r.e` read `ignore`. */
export function compactView(words: TextView): TextView {
  // Runs of a-z found with a char-code loop: a regex match object per word costs more than the scan.
  const text = words.text;
  const parts: string[] = [];
  const segView: number[] = [];
  const segSrc: number[] = [];
  let length = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 97 || c > 122) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d < 97 || d > 122) break;
      i++;
    }
    parts.push(text.slice(start, i));
    segView.push(length);
    segSrc.push(start);
    length += i - start;
  }
  if (parts.length === 0) return { text: '' };
  return segmented(parts.join(''), words, segView, segSrc);
}

const UTF16 = new TextDecoder('utf-16le');

/** ROT13 of a view, offsets unchanged. */
export function rot13View(view: TextView): TextView {
  // One pass over char codes and one decode: a callback per letter costs
  // more than the rest of the views together on a long prompt.
  const text = view.text;
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    codes[i] = c >= 97 && c <= 122 ? ((c - 84) % 26) + 97 : c;
  }
  return { ...view, text: UTF16.decode(codes) };
}

let lastViews: { text: string; base: TextView; words: TextView } | undefined;

/**
 * The base and words views of `text`, shared by the rules that check the
 * same text one after another (the last text's views are kept; views are
 * never mutated, so sharing them is safe).
 */
export function textViews(text: string): {
  readonly base: TextView;
  readonly words: TextView;
} {
  if (lastViews?.text === text) return lastViews;
  const base = baseView(text);
  lastViews = { text, base, words: wordsView(base) };
  return lastViews;
}

/** Maps a match `[from, to)` in a view back to a span of the original text. */
export function viewSpan(
  view: TextView,
  from: number,
  to: number,
): { start: number; end: number } {
  const max = view.text.length - 1;
  if (max < 0) return { start: 0, end: 0 };
  const start = startOf(view, Math.min(from, max));
  const end = endOf(view, Math.min(Math.max(from, to - 1), max));
  return { start, end: Math.max(start, end) };
}
