import type { SearchDeps, SearchMode } from '../../src/domain/search.js';
import { searchCollateral } from '../../src/domain/search.js';
import { scopeForRoles } from '../../src/domain/access.js';
import type { DocumentType } from '../../src/domain/model.js';
import type { EvalQuery } from './fixtures.js';

/** Retrieval quality over an evaluation set. */
export interface RetrievalScores {
  /** Mean share of a query's relevant documents among its top 5 documents. */
  readonly recallAt5: number;
  /** Mean reciprocal rank of the first relevant document within the top 10. */
  readonly mrrAt10: number;
  /** Queries with no relevant document in the top 5. */
  readonly misses: readonly { id: string; query: string; got: string[] }[];
}

/** Runs every query as its role in the `lumen` tenant and scores document-level rankings. */
export async function scoreRetrieval(
  deps: SearchDeps,
  queries: readonly EvalQuery[],
  mode: SearchMode,
): Promise<RetrievalScores> {
  let recall = 0;
  let mrr = 0;
  const misses: { id: string; query: string; got: string[] }[] = [];
  for (const q of queries) {
    const { hits } = await searchCollateral(deps, {
      query: q.query,
      scope: scopeForRoles('lumen', [q.role]),
      mode,
      limit: 10,
      maxChunksPerDocument: 1,
      filters: {
        ...(q.filters?.products ? { products: q.filters.products } : {}),
        ...(q.filters?.competitors
          ? { competitors: q.filters.competitors }
          : {}),
        ...(q.filters?.industries ? { industries: q.filters.industries } : {}),
        ...(q.filters?.regions ? { regions: q.filters.regions } : {}),
        ...(q.filters?.type ? { type: [q.filters.type as DocumentType] } : {}),
      },
    });
    const docs = hits.map((hit) => hit.citation.documentId);
    const top5 = new Set(docs.slice(0, 5));
    const found = q.relevant.filter((id) => top5.has(id)).length;
    recall += found / q.relevant.length;
    const first = docs.findIndex((id) => q.relevant.includes(id));
    mrr += first >= 0 && first < 10 ? 1 / (first + 1) : 0;
    if (found === 0)
      misses.push({ id: q.id, query: q.query, got: docs.slice(0, 5) });
  }
  return {
    recallAt5: recall / queries.length,
    mrrAt10: mrr / queries.length,
    misses,
  };
}
