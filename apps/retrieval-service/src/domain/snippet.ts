import { STOPWORDS } from './text-tokens.js';

/** A passage excerpt with the query's words marked. */
export interface Snippet {
  /** Plain excerpt of the chunk text. */
  readonly text: string;
  /** `[start, end)` offsets in `text` of words that match query terms. */
  readonly highlights: readonly {
    readonly start: number;
    readonly end: number;
  }[];
  /** The excerpt with each match wrapped in `«` and `»`. */
  readonly marked: string;
}

/**
 * The window of `text` (about `width` characters) holding the most query
 * term matches, cut at word boundaries. A word matches when it equals a term
 * or shares its first five letters (a cheap stand-in for stemming).
 */
export function buildSnippet(
  text: string,
  terms: readonly string[],
  width = 240,
): Snippet {
  const keys = terms.filter((term) => !STOPWORDS.has(term)).map(stemKey);
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
    match: keys.includes(stemKey(m[0].toLowerCase())),
  }));
  let bestStart = 0;
  let bestCount = -1;
  for (const word of words) {
    if (!word.match) continue;
    const count = words.filter(
      (w) => w.match && w.start >= word.start && w.end <= word.start + width,
    ).length;
    if (count > bestCount) {
      bestCount = count;
      bestStart = word.start;
    }
  }
  let start = Math.max(0, bestStart - Math.floor(width / 4));
  let end = Math.min(text.length, start + width);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  if (end < text.length)
    end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  const excerpt = text.slice(start, end).replace(/\s+/g, ' ');
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const snippetText = `${prefix}${excerpt}${suffix}`;
  const highlights: { start: number; end: number }[] = [];
  for (const m of snippetText.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (keys.includes(stemKey(m[0].toLowerCase()))) {
      highlights.push({
        start: m.index ?? 0,
        end: (m.index ?? 0) + m[0].length,
      });
    }
  }
  let marked = '';
  let at = 0;
  for (const h of highlights) {
    marked += `${snippetText.slice(at, h.start)}«${snippetText.slice(h.start, h.end)}»`;
    at = h.end;
  }
  marked += snippetText.slice(at);
  return { text: snippetText, highlights, marked };
}

function stemKey(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}
