import {
  DocumentType,
  type RetrievalServiceService,
  type SearchRequest,
} from '@fieldwise/contracts';
import type { GrpcServiceClient } from '@fieldwise/grpc';
import type { ActualToolCall, RetrievedChunk } from '../../domain/index.js';

/**
 * The chunk set a turn retrieved: what citation validity and groundedness
 * check the answer against. The chat stream reports each tool call with its
 * arguments but not the passages it returned, so the evidence is rebuilt
 * from the turn's own calls — never from the citations, which would let a
 * citation to any existing chunk pass.
 */
export interface TurnEvidence {
  /** The chunks the turn's executed retrieval calls returned, as the case user. */
  retrievedIn(
    toolCalls: readonly ActualToolCall[],
    principalToken: string,
    signal: AbortSignal,
  ): Promise<readonly RetrievedChunk[]>;
}

/** The retrieval tool of the agent whose results can be cited. */
export const SEARCH_TOOL = 'search_collateral';

const TYPES: Readonly<Record<string, DocumentType>> = {
  playbook: DocumentType.PLAYBOOK,
  battlecard: DocumentType.BATTLECARD,
  case_study: DocumentType.CASE_STUDY,
  pitch_deck: DocumentType.PITCH_DECK,
  product_doc: DocumentType.PRODUCT_DOC,
};

/** The agent's default `topK` of `search_collateral`. */
const DEFAULT_TOP_K = 5;

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}

/**
 * The retrieval request a `search_collateral` call made, from its recorded
 * arguments with the tool's defaults; undefined when the arguments hold no
 * query (the call could not have retrieved anything).
 */
export function searchRequestOf(
  args: Readonly<Record<string, unknown>>,
): SearchRequest | undefined {
  const query = typeof args['query'] === 'string' ? args['query'].trim() : '';
  if (query === '') return undefined;
  const topK = args['topK'];
  return {
    query: query.slice(0, 500),
    filters: {
      types: strings(args['types']).flatMap((t) =>
        TYPES[t] === undefined ? [] : [TYPES[t]],
      ),
      products: strings(args['products']),
      competitors: strings(args['competitors']),
      industries: strings(args['industries']),
      regions: strings(args['regions']),
    },
    topK:
      typeof topK === 'number' && Number.isInteger(topK) && topK >= 1
        ? Math.min(topK, 10)
        : DEFAULT_TOP_K,
  };
}

/**
 * {@link TurnEvidence} over the retrieval service's `Search`: each executed
 * `search_collateral` call of the turn is replayed with its recorded
 * arguments as the case's user (same index, same access rules, so the same
 * passages). Passages flagged as possible prompt injection are left out:
 * the agent withholds them from the model, so they cannot be cited. Calls
 * that did not execute (denied, failed) retrieved nothing. A failed replay
 * propagates (the case errors rather than scoring against missing evidence).
 */
export function createRetrievalEvidence(
  client: GrpcServiceClient<typeof RetrievalServiceService>,
  deadlineMs = 10_000,
): TurnEvidence {
  return {
    async retrievedIn(toolCalls, principalToken, signal) {
      const chunks = new Map<string, RetrievedChunk>();
      for (const call of toolCalls) {
        if (call.name !== SEARCH_TOOL || call.status !== 'executed') continue;
        const request = searchRequestOf(call.arguments);
        if (request === undefined) continue;
        const response = await client.search(request, {
          principalToken,
          signal,
          deadlineMs,
          idempotent: true,
        });
        for (const result of response.results) {
          const citation = result.citation;
          if (citation === undefined || result.injectionFlagged) continue;
          chunks.set(`${citation.documentId}\u0000${citation.chunkId}`, {
            documentId: citation.documentId,
            chunkId: citation.chunkId,
            text: result.text,
          });
        }
      }
      return [...chunks.values()];
    },
  };
}
