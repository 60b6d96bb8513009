/** A `[start, end)` span of a snippet (UTF-16 offsets). */
export interface Highlight {
  readonly start: number;
  readonly end: number;
}

// Words too common to be worth marking.
const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'how',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'our',
  'the',
  'to',
  'vs',
  'we',
  'what',
  'with',
]);

const WORD = /[\p{L}\p{N}]+/gu;

// Words match when equal or sharing their first five letters, a cheap
// stand-in for stemming ("streaming" marks "stream", "streams").
function keyOf(word: string): string {
  return word.toLowerCase().slice(0, 5);
}

/**
 * The words of `snippet` that match a word of `query`, and the snippet with
 * each wrapped in `«` and `»`. Plain text in, plain text out: no markup a
 * client could mistake for HTML.
 */
export function highlightQueryWords(
  snippet: string,
  query: string,
): { highlights: Highlight[]; marked: string } {
  const keys = new Set(
    [...query.matchAll(WORD)]
      .map((m) => m[0].toLowerCase())
      .filter((word) => word.length > 1 && !STOPWORDS.has(word))
      .map(keyOf),
  );
  const highlights: Highlight[] = [];
  for (const match of snippet.matchAll(WORD)) {
    const word = match[0];
    if (word.length > 1 && keys.has(keyOf(word))) {
      const start = match.index;
      highlights.push({ start, end: start + word.length });
    }
  }
  let marked = '';
  let at = 0;
  for (const { start, end } of highlights) {
    marked += `${snippet.slice(at, start)}«${snippet.slice(start, end)}»`;
    at = end;
  }
  marked += snippet.slice(at);
  return { highlights, marked };
}
