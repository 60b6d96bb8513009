/**
 * Turns texts into dense vectors. Implementations are deterministic for a
 * given model, return one vector of exactly `dimensions` floats per input
 * text, in input order, and throw a FieldwiseError when the backend fails.
 */
export interface Embedder {
  /** A stable model name; stored with document hashes so a model change re-embeds. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
