import type { Citation } from '@fieldwise/contracts';
import type { RetrievedChunk } from '../tools/tool.js';

/** `[source: CHUNK_ID]` or `[source: CHUNK_ID "quoted words"]`. */
const MARKER = /\[source:\s*([^\s\]"]{1,200})(?:\s+"([^"]{1,1000})")?\s*\]/g;

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The answer with invalid citation markers removed, and the valid citations in order of first use. */
export interface CheckedCitations {
  readonly answer: string;
  readonly citations: readonly Citation[];
  /** Markers dropped because they named no chunk of this turn or misquoted it. */
  readonly dropped: number;
}

function citationFor(
  chunk: RetrievedChunk,
  quote: string | undefined,
): Citation | undefined {
  const candidate = quote ?? chunk.snippet;
  const normalizedText = normalize(chunk.text);
  const normalizedQuote = normalize(candidate);
  if (normalizedQuote === '' || !normalizedText.includes(normalizedQuote)) {
    // A quote must be in the chunk; a missing snippet falls back to the chunk's opening.
    if (quote !== undefined) return undefined;
    return citationFor(chunk, chunk.text.slice(0, 200));
  }
  const exact = chunk.text.indexOf(candidate);
  return {
    documentId: chunk.documentId,
    chunkId: chunk.chunkId,
    title: chunk.title,
    sectionPath: chunk.sectionPath,
    snippet: candidate,
    charStart: exact >= 0 ? chunk.charStart + exact : chunk.charStart,
    charEnd:
      exact >= 0 ? chunk.charStart + exact + candidate.length : chunk.charEnd,
  };
}

/**
 * Keeps only citations that name a chunk retrieved (and shown) in this turn
 * and whose quoted text is in that chunk (whitespace and case folded).
 * Invalid markers are removed from the answer.
 */
export function checkCitations(
  answer: string,
  retrieved: ReadonlyMap<string, RetrievedChunk>,
): CheckedCitations {
  const citations: Citation[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  const cleaned = answer.replace(
    MARKER,
    (marker, chunkId: string, quote: string | undefined) => {
      const chunk = retrieved.get(chunkId);
      const citation = chunk && citationFor(chunk, quote);
      if (citation === undefined) {
        dropped++;
        return '';
      }
      const key = `${citation.chunkId}\u0000${citation.snippet}`;
      if (!seen.has(key)) {
        seen.add(key);
        citations.push(citation);
      }
      return marker;
    },
  );
  return { answer: cleaned.replace(/[ \t]{2,}/g, ' '), citations, dropped };
}
