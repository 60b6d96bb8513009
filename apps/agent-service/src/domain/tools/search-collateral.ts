import { DocumentType } from '@fieldwise/contracts';
import { z } from 'zod';
import { defineReadTool, type RetrievedChunk } from './tool.js';

const TYPES = {
  playbook: DocumentType.PLAYBOOK,
  battlecard: DocumentType.BATTLECARD,
  case_study: DocumentType.CASE_STUDY,
  pitch_deck: DocumentType.PITCH_DECK,
  product_doc: DocumentType.PRODUCT_DOC,
} as const;

const list = (what: string) =>
  z.array(z.string().trim().min(1).max(64)).max(10).default([]).describe(what);

const input = z
  .object({
    query: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe(
        'What to look for, in plain words ("battlecard against Snowflake for streaming").',
      ),
    types: z
      .array(
        z.enum([
          'playbook',
          'battlecard',
          'case_study',
          'pitch_deck',
          'product_doc',
        ]),
      )
      .max(5)
      .default([])
      .describe('Document types to keep; empty keeps all.'),
    products: list('Product line ids, e.g. "stream".'),
    competitors: list('Competitor names, e.g. "Snowflake".'),
    industries: list('Industries, e.g. "Retail".'),
    regions: list('Regions: AMER, EMEA, APJ.'),
    topK: z.number().int().min(1).max(10).default(5),
  })
  .strict();

/** `search_collateral`: hybrid search over sales collateral, with citations. */
export const searchCollateralTool = defineReadTool({
  name: 'search_collateral',
  permission: 'search_collateral',
  writes: false,
  description:
    'Search sales collateral (playbooks, battlecards, case studies, pitch decks, product docs) the user may read. Returns the best passages with their chunk ids. Cite a passage in the answer as [source: CHUNK_ID "exact quoted words"]; only passages returned in this turn can be cited.',
  examples: [
    'find our battlecard against Snowflake for streaming',
    'case studies for retail lakehouse',
    'how do we position against Databricks',
    'pitch deck for Lumen AI Studio',
    'playbook for a Confluent displacement',
  ],
  input,
  async run(deps, args, ctx) {
    const response = await deps.retrieval.search(
      {
        query: args.query,
        filters: {
          types: args.types.map((t) => TYPES[t]),
          products: args.products,
          competitors: args.competitors,
          industries: args.industries,
          regions: args.regions,
        },
        topK: args.topK,
      },
      ctx,
    );
    const chunks: RetrievedChunk[] = response.results.flatMap((r) =>
      r.citation === undefined
        ? []
        : [
            {
              chunkId: r.citation.chunkId,
              documentId: r.citation.documentId,
              title: r.citation.title,
              sectionPath: r.citation.sectionPath,
              text: r.text,
              snippet: r.citation.snippet,
              charStart: r.citation.charStart,
              charEnd: r.citation.charEnd,
              injectionFlagged: r.injectionFlagged,
            },
          ],
    );
    return {
      data: {
        results: chunks.map((c) => ({
          chunkId: c.chunkId,
          documentId: c.documentId,
          title: c.title,
          section: c.sectionPath,
          text: c.text,
        })),
      },
      summary: `${chunks.length} passage(s) from ${new Set(chunks.map((c) => c.documentId)).size} document(s)`,
      chunks,
    };
  },
});
