import type {
  SearchFilters as ProtoSearchFilters,
  SearchRequest,
  SearchResponse,
  SearchResult,
} from '@fieldwise/contracts';
import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import type { CallContext } from '@fieldwise/grpc';
import {
  RRF_K,
  searchCollateral,
  type DocumentType,
  type SearchFilters,
  type SearchHit,
  type Visibility,
} from '../domain/index.js';
import { DEFAULT_FUSION_WEIGHTS } from '../domain/search.js';
import type { RetrievalHandlerDeps } from './handler-deps.js';
import {
  metadataToProto,
  sectionPathText,
  typesFromProto,
} from './proto-mapping.js';

/** Results returned when the request says `top_k: 0`. */
export const DEFAULT_TOP_K = 8;
/** Longest citation snippet the contract allows. */
const MAX_SNIPPET = 500;
/** The best fused score a chunk can reach: rank 1 in every ranker. */
const MAX_FUSED_SCORE =
  (DEFAULT_FUSION_WEIGHTS.lexical + DEFAULT_FUSION_WEIGHTS.vector) /
  (RRF_K + 1);

/**
 * Search: hybrid search over what the principal may read (tenant and
 * visibility classes from the authz policy, applied inside both rankers).
 * A principal that may read no class (a security auditor) gets no results.
 * Each result carries a citation whose snippet is a verbatim substring of
 * the chunk, the chunk's span in its document, and the injection flag.
 * Bad query, filters or `top_k` are INVALID_ARGUMENT naming each field.
 */
export async function searchHandler(
  deps: RetrievalHandlerDeps,
  request: SearchRequest,
  ctx: CallContext,
): Promise<SearchResponse> {
  const scope = deps.access.scopeFor(ctx.principal);
  const filters = filtersFromProto(request.filters);
  const { hits } = await searchCollateral(
    {
      store: deps.store,
      index: deps.index,
      embedder: deps.embedder,
      logger: ctx.logger,
    },
    {
      query: request.query,
      scope,
      filters,
      limit: request.topK === 0 ? DEFAULT_TOP_K : request.topK,
    },
  );
  const documents = new Map(
    deps.store
      .getChunks(
        hits.map((hit) => hit.citation.chunkId),
        scope,
      )
      .map(({ document }) => [document.metadata.id, document.metadata]),
  );
  // One policy lookup per class, not per result.
  const readers = new Map<Visibility, string[]>();
  const readersOf = (visibility: Visibility): string[] => {
    let roles = readers.get(visibility);
    if (!roles) {
      roles = deps.access.readersOf(scope.tenant, visibility);
      readers.set(visibility, roles);
    }
    return roles;
  };
  return {
    results: hits.map((hit): SearchResult => {
      const metadata = documents.get(hit.citation.documentId);
      return {
        citation: {
          documentId: hit.citation.documentId,
          chunkId: hit.citation.chunkId,
          title: hit.citation.title,
          sectionPath: sectionPathText(hit.citation.sectionPath),
          snippet: verbatimSnippet(hit),
          charStart: hit.citation.span.start,
          charEnd: hit.citation.span.end,
        },
        text: hit.text,
        score: Math.min(1, hit.score / MAX_FUSED_SCORE),
        // The domain exposes ranker ranks, not raw scores: reciprocal rank is the normalized stand-in.
        lexicalScore: hit.ranks.lexical ? 1 / hit.ranks.lexical : 0,
        vectorScore: hit.ranks.vector ? 1 / hit.ranks.vector : 0,
        injectionFlagged: hit.injectionFlagged,
        ...(metadata ? { metadata: metadataToProto(metadata, readersOf) } : {}),
      };
    }),
    embeddingModel: deps.embedder.model,
  };
}

/** Proto filters to domain filters: empty lists do not restrict; unknown types are INVALID_ARGUMENT. */
function filtersFromProto(
  filters: ProtoSearchFilters | undefined,
): SearchFilters {
  if (!filters) return {};
  const violations: FieldViolation[] = [];
  const types: DocumentType[] = [];
  filters.types.forEach((type, i) => {
    const mapped = typesFromProto(type);
    if (mapped.length === 0) {
      violations.push({
        field: `filters.types[${i}]`,
        message: `${String(type)} is not a document type`,
      });
    }
    types.push(...mapped);
  });
  if (violations.length > 0) throw new ValidationError(violations);
  const list = (values: readonly string[]) =>
    values.length > 0 ? [...values] : undefined;
  const products = list(filters.products);
  const competitors = list(filters.competitors);
  const industries = list(filters.industries);
  const regions = list(filters.regions);
  return {
    ...(types.length > 0 ? { type: [...new Set(types)] } : {}),
    ...(products ? { products } : {}),
    ...(competitors ? { competitors } : {}),
    ...(industries ? { industries } : {}),
    ...(regions ? { regions } : {}),
  };
}

/**
 * The domain's snippet with whitespace collapsed and ellipses added, mapped
 * back onto the chunk text so the citation quotes the chunk verbatim (the
 * contract's validity rule); the chunk's opening words when that fails.
 */
function verbatimSnippet(hit: SearchHit): string {
  const body = hit.snippet.text.replace(/^…/, '').replace(/…$/, '').trim();
  const words = body.split(/\s+/).filter((word) => word !== '');
  if (words.length > 0) {
    const pattern = new RegExp(
      words
        .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('\\s+'),
    );
    const match = pattern.exec(hit.text);
    if (match) return match[0].slice(0, MAX_SNIPPET);
  }
  return hit.text.slice(0, Math.min(MAX_SNIPPET, 240));
}
