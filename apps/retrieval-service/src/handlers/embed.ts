import type { EmbedRequest, EmbedResponse } from '@fieldwise/contracts';
import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import { embedTexts } from '../domain/index.js';
import type { RetrievalHandlerDeps } from './handler-deps.js';

/** Longest text one Embed call accepts, per the contract. */
export const MAX_EMBED_TEXT_CHARS = 8_000;

/**
 * Embed: vectors for other services with the configured model. Any verified
 * principal may call it (it reads no stored data). An empty or oversized
 * list, an empty or over-long text, or a model other than the configured
 * one is INVALID_ARGUMENT. Token usage is not reported by the embedder port,
 * so `usage` is zero.
 */
export async function embedHandler(
  deps: RetrievalHandlerDeps,
  request: EmbedRequest,
): Promise<EmbedResponse> {
  const violations: FieldViolation[] = [];
  if (request.model !== '' && request.model !== deps.embedder.model) {
    violations.push({
      field: 'model',
      message: `this service embeds with '${deps.embedder.model}' only`,
    });
  }
  request.texts.forEach((text, i) => {
    if (text.length > MAX_EMBED_TEXT_CHARS) {
      violations.push({
        field: `texts[${i}]`,
        message: `must be at most ${MAX_EMBED_TEXT_CHARS} characters`,
      });
    }
  });
  if (violations.length > 0) throw new ValidationError(violations);
  const { model, dimensions, vectors } = await embedTexts(deps, {
    texts: request.texts,
  });
  return {
    model,
    dimensions,
    embeddings: vectors.map((vector) => ({ values: Array.from(vector) })),
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
  };
}
