import type { Embedder } from './ports.js';
import { contentWords } from './text-features.js';

/** Options of {@link createHashedEmbedder}. */
export interface HashedEmbedderOptions {
  /** Vector size; a power of two keeps the hashing uniform. Default 2048. */
  readonly dimensions?: number;
  /**
   * Texts whose document frequencies weight the features (inverse document
   * frequency): features common to many of them count less, and features
   * none of them has count nothing. The planner passes the tool
   * descriptions and examples. Without it every feature weighs the same.
   */
  readonly idfCorpus?: readonly string[];
}

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.7;
const TRIGRAM_WEIGHT = 0.35;

/**
 * A deterministic local embedder: hashed word unigrams and bigrams plus
 * character trigrams of each word, weighted by TF-IDF over `idfCorpus` and
 * L2-normalised. Why this and not a neural model: it needs no weights or
 * network, gives identical vectors on every machine (so routing tests are
 * exact), tolerates typos and inflections through the character trigrams,
 * and the IDF weighting makes words shared by every tool ("account",
 * "for") count less than the words that tell tools apart ("hygiene",
 * "consumption"). Empty texts embed to the zero vector.
 */
export function createHashedEmbedder(
  options: HashedEmbedderOptions = {},
): Embedder {
  const dimensions = options.dimensions ?? 2048;
  if (!Number.isInteger(dimensions) || dimensions < 16) {
    throw new RangeError('dimensions must be an integer of at least 16');
  }
  const idf = inverseDocumentFrequency(options.idfCorpus ?? []);
  const weightOf = (feature: string): number =>
    idf.weights.get(feature) ?? idf.unseen;
  return {
    embed: (texts) =>
      Promise.resolve(texts.map((t) => embedOne(t, dimensions, weightOf))),
  };
}

interface Idf {
  readonly weights: ReadonlyMap<string, number>;
  /** Weight of a feature no corpus text has: 0 with a corpus, else 1. */
  readonly unseen: number;
}

function inverseDocumentFrequency(corpus: readonly string[]): Idf {
  const df = new Map<string, number>();
  for (const text of corpus) {
    for (const feature of new Set(features(text).map((f) => f.key))) {
      df.set(feature, (df.get(feature) ?? 0) + 1);
    }
  }
  const n = corpus.length;
  const weights = new Map<string, number>();
  for (const [feature, count] of df) {
    weights.set(feature, Math.log((n + 1) / (count + 1)) + 1);
  }
  // With a corpus, a feature it never saw (an account name, a typo's odd
  // trigram) carries no learned meaning and would only dilute the vector.
  return { weights, unseen: n === 0 ? 1 : 0 };
}

interface Feature {
  readonly key: string;
  readonly weight: number;
}

function features(text: string): Feature[] {
  const words = contentWords(text);
  const out: Feature[] = [];
  words.forEach((word, i) => {
    out.push({ key: `w:${word}`, weight: WORD_WEIGHT });
    const next = words[i + 1];
    if (next !== undefined)
      out.push({ key: `b:${word} ${next}`, weight: BIGRAM_WEIGHT });
    const padded = `<${word}>`;
    for (let j = 0; j + 3 <= padded.length; j++) {
      out.push({ key: `c:${padded.slice(j, j + 3)}`, weight: TRIGRAM_WEIGHT });
    }
  });
  return out;
}

function embedOne(
  text: string,
  dimensions: number,
  weightOf: (feature: string) => number,
): Float32Array {
  const vector = new Float32Array(dimensions);
  const counts = new Map<string, { weight: number; n: number }>();
  for (const f of features(text)) {
    const entry = counts.get(f.key);
    if (entry) entry.n += 1;
    else counts.set(f.key, { weight: f.weight, n: 1 });
  }
  for (const [key, { weight, n }] of counts) {
    const hash = fnv1a(key);
    // The hash's top bit picks the sign so collisions tend to cancel out.
    const sign = hash & 0x80000000 ? -1 : 1;
    const tf = 1 + Math.log(n);
    const slot = hash % dimensions;
    vector[slot] = (vector[slot] ?? 0) + sign * weight * tf * weightOf(key);
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) * inv;
  }
  return vector;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Cosine similarity of two vectors of the same size (0 when either is zero). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
