import type { AgentTurn, MetricValue } from '../model.js';
import { contentWords, numberTokens, splitSentences } from './normalize.js';

/** Tunables of lexical groundedness. */
export interface GroundednessOptions {
  /** Share of a sentence's content words that must occur in the evidence; default 0.6. */
  readonly minWordSupport?: number;
  /** Sentences with fewer content words and no number are not claims; default 2. */
  readonly minClaimWords?: number;
}

/** How one answer sentence fared. */
export interface SentenceSupport {
  readonly sentence: string;
  /** Share of its content words found in the evidence. */
  readonly wordSupport: number;
  /** Its numbers absent from the evidence (canonical tokens, e.g. `#1200000`). */
  readonly missingNumbers: readonly string[];
  readonly supported: boolean;
}

/**
 * `groundedness` (lexical): each claim sentence of the answer must be
 * supported by the turn's evidence — tool result contents and the chunks
 * retrieved in the turn. A sentence is supported when every number it
 * states appears in the evidence (number formats normalized) and at least
 * `minWordSupport` of its content words do. Questions and sentences without
 * claims ("Here is what I found:") are skipped. The value is the share of
 * supported claims (1 when there are none); passes when all are supported.
 */
export function scoreGroundedness(
  turn: Pick<AgentTurn, 'answer' | 'toolResults' | 'retrieved'>,
  options: GroundednessOptions = {},
): MetricValue {
  const minWordSupport = options.minWordSupport ?? 0.6;
  const minClaimWords = options.minClaimWords ?? 2;
  const evidence = [
    ...turn.toolResults.map((t) => t.content),
    ...turn.retrieved.map((r) => r.text),
  ];
  const evidenceWords = new Set(evidence.flatMap(contentWords));
  const evidenceNumbers = new Set(evidence.flatMap(numberTokens));
  const results: SentenceSupport[] = [];
  for (const sentence of splitSentences(turn.answer)) {
    if (sentence.endsWith('?')) continue;
    const words = contentWords(sentence);
    const numbers = numberTokens(sentence);
    if (numbers.length === 0 && words.length < minClaimWords) continue;
    const found = words.filter((w) => evidenceWords.has(w)).length;
    const wordSupport = words.length === 0 ? 1 : found / words.length;
    const missingNumbers = [
      ...new Set(numbers.filter((n) => !evidenceNumbers.has(n))),
    ];
    results.push({
      sentence,
      wordSupport,
      missingNumbers,
      supported: missingNumbers.length === 0 && wordSupport >= minWordSupport,
    });
  }
  const unsupported = results.filter((r) => !r.supported);
  const value =
    results.length === 0
      ? 1
      : (results.length - unsupported.length) / results.length;
  return {
    name: 'groundedness',
    value,
    judge: 'deterministic',
    passed: unsupported.length === 0,
    explanation:
      results.length === 0
        ? 'no factual claim to check'
        : unsupported.length === 0
          ? `all ${results.length} claim sentence(s) supported by the evidence`
          : `unsupported: ${unsupported.map((u) => `"${u.sentence}"`).join(' | ')}`,
    details: {
      claims: results.length,
      unsupported: unsupported.map((u) => ({
        sentence: u.sentence,
        wordSupport: Number(u.wordSupport.toFixed(3)),
        missingNumbers: u.missingNumbers,
      })),
    },
  };
}
