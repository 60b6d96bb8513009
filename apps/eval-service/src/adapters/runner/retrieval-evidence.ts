import type { RetrievalServiceService } from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import type { GrpcServiceClient } from '@fieldwise/grpc';
import type { AnswerCitation, RetrievedChunk } from '../../domain/index.js';

/**
 * Fetches the chunks an answer cites, so citation validity and groundedness
 * can check the quoted text against what the source really says. The chat
 * stream carries citations but not chunk texts.
 */
export interface CitationEvidence {
  chunksFor(
    citations: readonly AnswerCitation[],
    principalToken: string,
    signal: AbortSignal,
  ): Promise<readonly RetrievedChunk[]>;
}

/**
 * {@link CitationEvidence} over the retrieval service's `GetDocument`
 * (chunks included), asked as the case's user: a document that does not
 * exist or that the user may not read yields no chunk, so its citations are
 * `not_retrieved`. Other failures propagate (the case errors).
 */
export function createRetrievalEvidence(
  client: GrpcServiceClient<typeof RetrievalServiceService>,
  deadlineMs = 10_000,
): CitationEvidence {
  return {
    async chunksFor(citations, principalToken, signal) {
      const documentIds = [...new Set(citations.map((c) => c.documentId))];
      const wanted = new Set(
        citations.map((c) => `${c.documentId}\u0000${c.chunkId}`),
      );
      const chunks: RetrievedChunk[] = [];
      for (const documentId of documentIds) {
        if (documentId === '') continue;
        try {
          const response = await client.getDocument(
            { documentId, includeChunks: true },
            { principalToken, signal, deadlineMs, idempotent: true },
          );
          for (const chunk of response.chunks) {
            if (wanted.has(`${documentId}\u0000${chunk.id}`)) {
              chunks.push({ documentId, chunkId: chunk.id, text: chunk.text });
            }
          }
        } catch (error) {
          const absent =
            error instanceof FieldwiseError &&
            (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED');
          if (!absent) throw error;
        }
      }
      return chunks;
    },
  };
}
