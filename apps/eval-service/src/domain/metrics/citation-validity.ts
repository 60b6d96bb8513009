import type { AnswerCitation, MetricValue, RetrievedChunk } from '../model.js';
import { normalizeForQuote } from './normalize.js';

/** Why a citation is invalid. */
export type CitationProblem =
  'not_retrieved' | 'snippet_not_in_chunk' | 'empty_snippet';

/** One citation that failed validation. */
export interface InvalidCitation {
  readonly index: number;
  readonly documentId: string;
  readonly chunkId: string;
  readonly problem: CitationProblem;
}

/**
 * Checks one citation against the chunks retrieved in the same turn: the
 * (documentId, chunkId) pair must have been retrieved, and the snippet —
 * whitespace, quotes, dashes and case normalized — must be contained in that
 * chunk's text. A snippet shortened with "…" or "..." is valid when each
 * piece appears in the chunk, in order. Returns the problem or undefined.
 */
export function checkCitation(
  citation: AnswerCitation,
  retrieved: readonly RetrievedChunk[],
): CitationProblem | undefined {
  const chunks = retrieved.filter(
    (r) =>
      r.documentId === citation.documentId && r.chunkId === citation.chunkId,
  );
  if (chunks.length === 0) return 'not_retrieved';
  const pieces = citation.snippet
    .split(/\u2026|\.\.\./)
    .map(normalizeForQuote)
    .filter((p) => p !== '');
  if (pieces.length === 0) return 'empty_snippet';
  const supported = chunks.some((chunk) => {
    const text = normalizeForQuote(chunk.text);
    let from = 0;
    for (const piece of pieces) {
      const at = text.indexOf(piece, from);
      if (at < 0) return false;
      from = at + piece.length;
    }
    return true;
  });
  return supported ? undefined : 'snippet_not_in_chunk';
}

/**
 * `citation_validity`: the share of valid citations (see
 * {@link checkCitation}); a fabricated citation fails the case. With no
 * citations the metric is undefined unless `requireCitations`, then 0.
 */
export function scoreCitationValidity(
  citations: readonly AnswerCitation[],
  retrieved: readonly RetrievedChunk[],
  requireCitations = false,
): MetricValue | undefined {
  if (citations.length === 0) {
    if (!requireCitations) return undefined;
    return {
      name: 'citation_validity',
      value: 0,
      judge: 'deterministic',
      passed: false,
      explanation: 'the case requires citations and the answer has none',
      details: { invalid: [] },
    };
  }
  const invalid: InvalidCitation[] = [];
  citations.forEach((c, index) => {
    const problem = checkCitation(c, retrieved);
    if (problem)
      invalid.push({
        index,
        documentId: c.documentId,
        chunkId: c.chunkId,
        problem,
      });
  });
  return {
    name: 'citation_validity',
    value: (citations.length - invalid.length) / citations.length,
    judge: 'deterministic',
    passed: invalid.length === 0,
    explanation:
      invalid.length === 0
        ? `all ${citations.length} citation(s) retrieved and quoted exactly`
        : invalid
            .map(
              (i) =>
                `citation ${i.index + 1} (${i.documentId}#${i.chunkId}): ${describe(i.problem)}`,
            )
            .join('; '),
    details: { invalid },
  };
}

function describe(problem: CitationProblem): string {
  switch (problem) {
    case 'not_retrieved':
      return 'not retrieved in this turn';
    case 'snippet_not_in_chunk':
      return 'snippet is not in the cited chunk';
    case 'empty_snippet':
      return 'empty snippet';
  }
}
