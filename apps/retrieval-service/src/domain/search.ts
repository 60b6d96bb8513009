import {
  NotFoundError,
  ValidationError,
  type FieldViolation,
} from '@fieldwise/errors';
import type { Logger } from 'pino';
import type { Embedder } from '../adapters/embeddings/port.js';
import type {
  ChunkWithDocument,
  DocumentStore,
} from '../adapters/store/port.js';
import type {
  VectorFilter,
  VectorIndex,
} from '../adapters/vector-index/port.js';
import { assertValidScope, type SearchScope } from './access.js';
import {
  DOCUMENT_TYPES,
  type CharSpan,
  type DocumentRecord,
  type DocumentType,
  type HiddenKind,
  type SearchFilters,
  type Visibility,
} from './model.js';
import { buildSnippet, type Snippet } from './snippet.js';
import { correctTerm } from './spelling.js';
import { queryTerms, wordTokens } from './text-tokens.js';

/** Everything search needs. */
export interface SearchDeps {
  readonly store: DocumentStore;
  readonly index: VectorIndex;
  readonly embedder: Embedder;
  readonly logger: Logger;
  /** Weights of each ranker in the fusion (default {@link DEFAULT_FUSION_WEIGHTS}). */
  readonly fusionWeights?: FusionWeights;
}

/** Per-ranker weights of weighted reciprocal rank fusion. */
export interface FusionWeights {
  readonly lexical: number;
  readonly vector: number;
}

/**
 * BM25 counts fully and vectors at half weight: the word-vector embedder
 * knows no product or competitor names (they are hashed out-of-vocabulary
 * words), so its ranking is the weaker signal and serves to add paraphrase
 * matches BM25 misses rather than to reorder BM25's exact matches.
 */
export const DEFAULT_FUSION_WEIGHTS: FusionWeights = {
  lexical: 1,
  vector: 0.5,
};

/** Which rankers take part: both fused (default), or one alone (evaluation, diagnostics). */
export type SearchMode = 'hybrid' | 'lexical' | 'vector';

/** A search request on behalf of a verified principal. */
export interface SearchInput {
  readonly query: string;
  readonly scope: SearchScope;
  readonly filters?: SearchFilters;
  /** Results to return, 1–50 (default 10). */
  readonly limit?: number;
  /** At most this many chunks of one document (default 2). */
  readonly maxChunksPerDocument?: number;
  readonly mode?: SearchMode;
}

/** Where a result comes from, precisely enough to quote and check it. */
export interface Citation {
  readonly documentId: string;
  readonly chunkId: string;
  readonly title: string;
  readonly sectionPath: readonly string[];
  /** Character span of the chunk in the document's extracted text. */
  readonly span: CharSpan;
}

/** One result passage. */
export interface SearchHit {
  readonly citation: Citation;
  readonly type: DocumentType;
  readonly visibility: Visibility;
  readonly text: string;
  readonly snippet: Snippet;
  /** Fused reciprocal-rank score (higher is better). */
  readonly score: number;
  /** 1-based rank in each ranker's candidate list, when the chunk was in it. */
  readonly ranks: { readonly lexical?: number; readonly vector?: number };
  /**
   * True when the injection scanner flagged this passage at ingestion: show
   * it as data, never pass it to a model as instructions.
   */
  readonly injectionFlagged: boolean;
  readonly injectionReasons: readonly string[];
  readonly hiddenContent: readonly HiddenKind[];
}

/** Search results, best first. */
export interface SearchResponse {
  readonly hits: readonly SearchHit[];
}

/** Constant of reciprocal rank fusion (Cormack et al. 2009). */
export const RRF_K = 60;
/** Candidates taken from each ranker before fusion. */
const CANDIDATES = 60;
/** Token-set Jaccard similarity above which two passages count as the same. */
const NEAR_DUPLICATE = 0.85;

/**
 * Hybrid search over the scope's documents: BM25 (SQLite FTS5) and vector
 * search, each with the tenant, visibility and metadata filters applied
 * inside the ranker, fused with reciprocal rank fusion, near-duplicates
 * removed, at most `maxChunksPerDocument` per document, then truncated. A
 * document outside the scope never contributes a candidate, a rank or a
 * count. Throws `VALIDATION_FAILED` for a bad query, scope or filter.
 */
export async function searchCollateral(
  deps: SearchDeps,
  input: SearchInput,
): Promise<SearchResponse> {
  const { limit, perDocument, filters, mode } = validateSearch(input);
  const scope = input.scope;
  if (scope.visibleClasses.length === 0) return { hits: [] };
  const vocabulary = deps.store.vocabulary();
  const terms = queryTerms(input.query).map((term) =>
    correctTerm(term, vocabulary),
  );
  const lexicalRanks = new Map<string, number>();
  const vectorRanks = new Map<string, number>();
  if (mode !== 'vector' && terms.length > 0) {
    deps.store
      .searchLexical(terms, scope, filters, CANDIDATES)
      .forEach((hit, i) => lexicalRanks.set(hit.chunkId, i + 1));
  }
  if (mode !== 'lexical') {
    const [vector] = await deps.embedder.embed([
      [...terms, input.query].join(' '),
    ]);
    if (vector && vector.some((v) => v !== 0)) {
      const hits = await deps.index.search(
        vector,
        CANDIDATES,
        vectorFilter(scope, filters),
      );
      hits.forEach((hit, i) => vectorRanks.set(hit.id, i + 1));
    }
  }
  const fused = new Map<string, number>();
  const weights = deps.fusionWeights ?? DEFAULT_FUSION_WEIGHTS;
  for (const [ranks, weight] of [
    [lexicalRanks, weights.lexical],
    [vectorRanks, weights.vector],
  ] as const) {
    for (const [id, rank] of ranks)
      fused.set(id, (fused.get(id) ?? 0) + weight / (RRF_K + rank));
  }
  const ordered = [...fused.entries()].sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  );
  // The store re-checks the scope: a stale index entry can never leak a chunk.
  const chunks = new Map(
    deps.store
      .getChunks(
        ordered.map(([id]) => id),
        scope,
      )
      .map((c) => [c.chunk.id, c]),
  );
  const hits: SearchHit[] = [];
  const kept: Set<string>[] = [];
  const perDocumentCount = new Map<string, number>();
  for (const [id, score] of ordered) {
    if (hits.length >= limit) break;
    const found = chunks.get(id);
    if (!found) continue;
    const documentId = found.chunk.documentId;
    if ((perDocumentCount.get(documentId) ?? 0) >= perDocument) continue;
    const tokens = new Set(wordTokens(found.chunk.text));
    if (kept.some((other) => jaccard(tokens, other) >= NEAR_DUPLICATE))
      continue;
    kept.push(tokens);
    perDocumentCount.set(
      documentId,
      (perDocumentCount.get(documentId) ?? 0) + 1,
    );
    hits.push(
      toHit(found, score, terms, lexicalRanks.get(id), vectorRanks.get(id)),
    );
  }
  return { hits };
}

function toHit(
  found: ChunkWithDocument,
  score: number,
  terms: readonly string[],
  lexical: number | undefined,
  vector: number | undefined,
): SearchHit {
  const { chunk, document } = found;
  return {
    citation: {
      documentId: chunk.documentId,
      chunkId: chunk.id,
      title: chunk.title,
      sectionPath: chunk.sectionPath,
      span: chunk.span,
    },
    type: document.metadata.type,
    visibility: document.metadata.visibility,
    text: chunk.text,
    snippet: buildSnippet(chunk.text, terms),
    score,
    ranks: { ...(lexical ? { lexical } : {}), ...(vector ? { vector } : {}) },
    injectionFlagged: chunk.injection.flagged,
    injectionReasons: chunk.injection.reasons,
    hiddenContent: chunk.hiddenContent,
  };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}

function vectorFilter(
  scope: SearchScope,
  filters: SearchFilters,
): VectorFilter {
  return {
    tenant: scope.tenant,
    visibility: scope.visibleClasses,
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.products ? { products: filters.products } : {}),
    ...(filters.competitors ? { competitors: filters.competitors } : {}),
    ...(filters.industries ? { industries: filters.industries } : {}),
    ...(filters.regions ? { regions: filters.regions } : {}),
  };
}

function validateSearch(input: SearchInput): {
  limit: number;
  perDocument: number;
  filters: SearchFilters;
  mode: SearchMode;
} {
  assertValidScope(input.scope);
  const violations: FieldViolation[] = [];
  if (typeof input.query !== 'string' || input.query.trim() === '') {
    violations.push({ field: 'query', message: 'must be a non-empty string' });
  } else if (input.query.length > 2_000) {
    violations.push({
      field: 'query',
      message: 'must be at most 2000 characters',
    });
  }
  const limit = input.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    violations.push({
      field: 'limit',
      message: 'must be an integer from 1 to 50',
    });
  }
  const perDocument = input.maxChunksPerDocument ?? 2;
  if (!Number.isInteger(perDocument) || perDocument < 1) {
    violations.push({
      field: 'maxChunksPerDocument',
      message: 'must be a positive integer',
    });
  }
  const filters = input.filters ?? {};
  for (const type of filters.type ?? []) {
    if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) {
      violations.push({
        field: 'filters.type',
        message: `unknown document type '${type}'`,
      });
    }
  }
  for (const field of [
    'type',
    'products',
    'competitors',
    'industries',
    'regions',
  ] as const) {
    const values = filters[field];
    if (
      values !== undefined &&
      (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
    ) {
      violations.push({
        field: `filters.${field}`,
        message: 'must be a list of strings',
      });
    }
  }
  const mode = input.mode ?? 'hybrid';
  if (!['hybrid', 'lexical', 'vector'].includes(mode)) {
    violations.push({
      field: 'mode',
      message: 'must be hybrid, lexical or vector',
    });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  return { limit, perDocument, filters, mode };
}

/**
 * A document the scope may read, with its full extracted text. Throws
 * `NOT_FOUND` both when it does not exist and when it is invisible to the
 * scope, so callers cannot probe for confidential documents.
 */
export function getDocument(
  deps: Pick<SearchDeps, 'store'>,
  input: { readonly scope: SearchScope; readonly documentId: string },
): DocumentRecord {
  assertValidScope(input.scope);
  const document = deps.store.getDocument(input.scope.tenant, input.documentId);
  if (
    !document ||
    !input.scope.visibleClasses.includes(document.metadata.visibility)
  ) {
    throw new NotFoundError('document', input.documentId);
  }
  return document;
}

/** Most texts one embed call accepts. */
export const MAX_EMBED_TEXTS = 256;

/**
 * Embeds texts for other services with the configured embedder. Throws
 * `VALIDATION_FAILED` for an empty list, more than {@link MAX_EMBED_TEXTS}
 * texts, or a text that is empty or over 32,000 characters.
 */
export async function embedTexts(
  deps: Pick<SearchDeps, 'embedder'>,
  input: { readonly texts: readonly string[] },
): Promise<{
  readonly model: string;
  readonly dimensions: number;
  readonly vectors: Float32Array[];
}> {
  const violations: FieldViolation[] = [];
  if (
    !Array.isArray(input.texts) ||
    input.texts.length === 0 ||
    input.texts.length > MAX_EMBED_TEXTS
  ) {
    violations.push({
      field: 'texts',
      message: `must hold 1 to ${MAX_EMBED_TEXTS} texts`,
    });
  } else {
    input.texts.forEach((text, i) => {
      if (
        typeof text !== 'string' ||
        text.trim() === '' ||
        text.length > 32_000
      ) {
        violations.push({
          field: `texts[${i}]`,
          message: 'must be a non-empty string of at most 32000 characters',
        });
      }
    });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  const vectors = await deps.embedder.embed(input.texts);
  return {
    model: deps.embedder.model,
    dimensions: deps.embedder.dimensions,
    vectors,
  };
}
