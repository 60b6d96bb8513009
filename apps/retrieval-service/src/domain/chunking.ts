import type { CharSpan } from './model.js';
import type { Heading, ParsedDocument } from './parsing/parsed-document.js';

/** Chunk sizes in characters. */
export interface ChunkingOptions {
  /** Upper bound on a chunk's length. */
  readonly maxChars: number;
  /** How much of the previous chunk a split section's next chunk repeats. */
  readonly overlapChars: number;
}

/** Defaults sized for word-vector pooling and BM25: a few paragraphs per chunk. */
export const DEFAULT_CHUNKING: ChunkingOptions = {
  maxChars: 1200,
  overlapChars: 200,
};

/** A chunk before it is scanned and stored. */
export interface DraftChunk {
  readonly sectionPath: readonly string[];
  readonly span: CharSpan;
  readonly text: string;
}

interface Section extends CharSpan {
  readonly path: readonly string[];
}

/**
 * Splits a document along its headings: every section (heading plus body) is
 * one chunk when it fits, otherwise it is cut at paragraph, then sentence,
 * then word boundaries into chunks of at most `maxChars`, each repeating about
 * `overlapChars` of its predecessor. A heading with no body of its own is
 * merged into the section that follows it. Spans point into `parsed.text`.
 */
export function chunkDocument(
  parsed: ParsedDocument,
  options: ChunkingOptions = DEFAULT_CHUNKING,
): DraftChunk[] {
  if (
    options.maxChars < 100 ||
    options.overlapChars < 0 ||
    options.overlapChars >= options.maxChars / 2
  ) {
    throw new RangeError(
      'chunking needs maxChars >= 100 and 0 <= overlapChars < maxChars / 2',
    );
  }
  const chunks: DraftChunk[] = [];
  for (const section of sections(parsed.text, parsed.headings)) {
    for (const span of splitSpan(parsed.text, section, options)) {
      chunks.push({
        sectionPath: section.path,
        span,
        text: parsed.text.slice(span.start, span.end),
      });
    }
  }
  return chunks;
}

function sections(text: string, headings: readonly Heading[]): Section[] {
  const result: Section[] = [];
  const stack: Heading[] = [];
  let pendingStart: number | null = null;
  const push = (start: number, end: number, path: readonly string[]): void => {
    const trimmed = trimSpan(text, { start: pendingStart ?? start, end });
    pendingStart = null;
    if (trimmed.end > trimmed.start) result.push({ ...trimmed, path });
  };
  const first = headings[0];
  if (!first || first.start > 0) push(0, first ? first.start : text.length, []);
  headings.forEach((heading, i) => {
    while (stack.length > 0 && (stack.at(-1) as Heading).level >= heading.level)
      stack.pop();
    stack.push(heading);
    const end = headings[i + 1]?.start ?? text.length;
    const body = text.slice(heading.end, end);
    if (body.trim() === '' && i + 1 < headings.length) {
      pendingStart ??= heading.start;
      return;
    }
    push(
      heading.start,
      end,
      stack.map((h) => h.text),
    );
  });
  return result;
}

function trimSpan(text: string, span: CharSpan): CharSpan {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return { start, end };
}

function splitSpan(
  text: string,
  span: CharSpan,
  options: ChunkingOptions,
): CharSpan[] {
  if (span.end - span.start <= options.maxChars) return [span];
  const spans: CharSpan[] = [];
  let start = span.start;
  while (start < span.end) {
    const limit = Math.min(span.end, start + options.maxChars);
    const end = limit === span.end ? limit : breakBefore(text, start, limit);
    spans.push(trimSpan(text, { start, end }));
    if (end >= span.end) break;
    const next = startAfter(
      text,
      Math.max(start + 1, end - options.overlapChars),
      end,
    );
    start = next > start ? next : end;
  }
  return spans.filter((s) => s.end > s.start);
}

/** The best cut at or before `limit`: paragraph, line, sentence, then word boundary. */
function breakBefore(text: string, start: number, limit: number): number {
  const window = text.slice(start, limit);
  const minimum = Math.floor(window.length / 2);
  for (const pattern of [/\n\s*\n/g, /\n/g, /[.!?]["')\]]?\s/g, /\s/g]) {
    let cut = -1;
    for (const match of window.matchAll(pattern)) {
      const at = (match.index ?? 0) + match[0].length;
      if (at >= minimum) cut = at;
    }
    if (cut > 0) return start + cut;
  }
  return limit;
}

/** The first sentence or word start at or after `from` (and before `end`). */
function startAfter(text: string, from: number, end: number): number {
  const window = text.slice(from, end);
  const sentence = /[.!?\n]\s+(?=\S)/.exec(window);
  if (sentence) return from + sentence.index + sentence[0].length;
  const word = /\s+(?=\S)/.exec(window);
  return word ? from + word.index + word[0].length : end;
}
