import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IngestOutcome,
  ingestOutcomeToJSON,
  type IngestResult,
} from '@fieldwise/contracts';
import { FieldwiseError, isErrorCode } from '@fieldwise/errors';
import { downstreamCallOf } from '../../../clients/downstream-call.js';
import type { RetrievalClient } from '../../../clients/retrieval-client.js';
import {
  backendErrors,
  enumNames,
  pageFields,
  pageOf,
  pageQuery,
  pageRequestOf,
} from '../../../schemas/common.js';
import {
  DOCUMENT_TYPES,
  VISIBILITIES,
  documentMetadataOf,
  documentMetadataSchema,
  documentTypeValue,
  visibilityValue,
} from '../../../schemas/collateral-views.js';
import { problemSchema } from '../../../schemas/problem.js';
import {
  INGEST_MEDIA_TYPES,
  decodeContent,
  documentIdFor,
} from './ingest-input.js';

const documentId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, '1 to 128 characters of [A-Za-z0-9._-]');
const tags = z.array(z.string().min(1).max(64)).max(50).optional();

const ingestBody = z
  .object({
    id: documentId
      .optional()
      .describe(
        'Stable document id; re-using one replaces that document. Default: the filename without extension',
      ),
    filename: z.string().min(1).max(255).describe('Original file name'),
    contentType: z.enum(INGEST_MEDIA_TYPES),
    encoding: z
      .enum(['text', 'base64'])
      .default('text')
      .describe('How `content` is encoded; PDFs must be base64'),
    content: z.string().min(1).describe('The document, as text or base64'),
    title: z
      .string()
      .max(300)
      .optional()
      .describe('Default: the first heading or the id'),
    sourceUri: z
      .string()
      .max(2048)
      .optional()
      .describe('Where the document came from, shown with citations'),
    metadata: z
      .object({
        type: z.enum(
          DOCUMENT_TYPES.filter((t) => t !== 'unspecified') as [
            string,
            ...string[],
          ],
        ),
        products: tags.describe('Product line ids, e.g. stream'),
        competitors: tags,
        industries: tags,
        regions: tags.describe('AMER, EMEA, APJ or global'),
        visibility: z.enum(
          VISIBILITIES.filter((v) => v !== 'unspecified') as [
            string,
            ...string[],
          ],
        ),
        allowedRoles: z
          .array(z.string().min(1).max(64))
          .max(20)
          .optional()
          .describe('Roles that may read a restricted document'),
        owner: z.string().max(200),
        updated: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
      })
      .partial()
      .strict()
      .optional()
      .describe(
        'Set fields win over the front matter or meta tags of the document',
      ),
  })
  .strict();

const OUTCOMES = [
  'unspecified',
  'ingested',
  'unchanged',
  'replaced',
  'rejected',
] as const;
const outcomeName = enumNames(OUTCOMES, ingestOutcomeToJSON, 'INGEST_OUTCOME_');

const ingestResponse = z.object({
  documentId: z.string(),
  outcome: z.enum(OUTCOMES),
  chunkCount: z.number().int(),
  version: z.number().int(),
  contentHash: z
    .string()
    .describe('SHA-256 of normalized content and metadata'),
  flaggedChunks: z
    .array(
      z.object({
        chunkId: z.string(),
        rules: z.array(z.string()),
        section: z.string(),
      }),
    )
    .describe(
      'Chunks guardrails flagged (e.g. prompt injection): stored but marked',
    ),
});

const listQuery = z.object({
  type: z
    .enum(
      DOCUMENT_TYPES.filter((t) => t !== 'unspecified') as [
        string,
        ...string[],
      ],
    )
    .optional()
    .describe('Only documents of this type'),
  ...pageQuery,
});

const listResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      mediaType: z.string(),
      metadata: documentMetadataSchema,
      sourceUri: z.string(),
      contentHash: z.string(),
      chunkCount: z.number().int(),
      updatedAt: z.string().nullable(),
    }),
  ),
  ...pageFields,
});

const deleteResponse = z.object({
  documentId: z.string(),
  deletedChunkCount: z.number().int(),
});

const ingestErrors = {
  ...backendErrors,
  413: problemSchema,
  415: problemSchema,
  422: problemSchema,
} as const;

export interface DocumentRouteOptions {
  retrieval: RetrievalClient;
  /** Largest accepted document (decoded content), in bytes. */
  maxDocumentBytes: number;
}

/** A rejected ingestion as the problem the client gets (415, 413, 400...). */
function rejection(result: IngestResult): FieldwiseError {
  const code = isErrorCode(result.reasonCode)
    ? result.reasonCode
    : 'VALIDATION_FAILED';
  const reason = result.reason || 'The document was rejected';
  return new FieldwiseError(code, reason, {
    ...(code === 'VALIDATION_FAILED'
      ? { violations: [{ field: 'body', message: reason }] }
      : {}),
  });
}

/**
 * `/v1/documents`: collateral listing, ingestion and deletion (content managers, by
 * policy; the retrieval-service checks again). Ingestion takes one document
 * as JSON (text, or base64 for binary formats), size-capped.
 */
export const documentRoutes: FastifyPluginCallback<DocumentRouteOptions> = (
  app,
  { retrieval, maxDocumentBytes },
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/documents',
    {
      schema: {
        summary: 'List ingested collateral',
        description:
          'Metadata of the documents of your tenant by id (content managers see all of them, whatever their visibility); never their content.',
        tags: ['collateral'],
        querystring: listQuery,
        response: { 200: listResponse, ...backendErrors },
      },
    },
    async (request) => {
      const query = request.query;
      const response = await retrieval.listDocuments(
        {
          type: query.type ? documentTypeValue(query.type) : 0,
          page: pageRequestOf(query),
        },
        await downstreamCallOf(request),
      );
      return {
        items: response.documents.map((document) => ({
          id: document.id,
          title: document.title,
          mediaType: document.mediaType,
          metadata: documentMetadataOf(document.metadata),
          sourceUri: document.sourceUri,
          contentHash: document.contentHash,
          chunkCount: document.chunkCount,
          updatedAt: document.updatedAt === '' ? null : document.updatedAt,
        })),
        ...pageOf(response.page),
      };
    },
  );

  typed.post(
    '/documents',
    {
      // Base64 grows content by a third; metadata needs a little more.
      bodyLimit: Math.ceil((maxDocumentBytes * 4) / 3) + 64 * 1024,
      config: { guardrails: { body: ['title'] } },
      schema: {
        summary: 'Ingest a collateral document',
        description: `One document per call: markdown, plain text or HTML as text, or any of them (and PDF) as base64; at most ${maxDocumentBytes} bytes decoded. 201 when new, 200 when it replaced or matched the stored document.`,
        tags: ['collateral'],
        body: ingestBody,
        response: {
          200: ingestResponse,
          201: ingestResponse,
          ...ingestErrors,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const id = documentIdFor(body.id, body.filename);
      let content = decodeContent(body, maxDocumentBytes);
      if (content.$case === 'text') {
        // The same input guardrails as any user text (secrets block, PII
        // redaction); the retrieval-service scans chunks for injections.
        content = {
          $case: 'text',
          value: await app.guardText(request, 'input', content.value),
        };
      }
      const metadata = body.metadata;
      const response = await retrieval.ingestDocuments(
        {
          documents: [
            {
              id,
              title: body.title ?? '',
              content,
              mediaType: body.contentType,
              sourceUri: body.sourceUri ?? body.filename,
              metadata: metadata
                ? {
                    type: metadata.type ? documentTypeValue(metadata.type) : 0,
                    products: metadata.products ?? [],
                    competitors: metadata.competitors ?? [],
                    industries: metadata.industries ?? [],
                    regions: metadata.regions ?? [],
                    visibility: metadata.visibility
                      ? visibilityValue(metadata.visibility)
                      : 0,
                    allowedRoles: metadata.allowedRoles ?? [],
                    owner: metadata.owner ?? '',
                    updated: metadata.updated ?? '',
                  }
                : undefined,
            },
          ],
        },
        await downstreamCallOf(request),
      );
      const result = response.results[0];
      if (!result) {
        throw new FieldwiseError(
          'INTERNAL',
          'The retrieval service returned no ingestion result',
        );
      }
      if (result.outcome === IngestOutcome.REJECTED) throw rejection(result);
      const created = result.outcome === IngestOutcome.INGESTED;
      if (created) {
        void reply.header(
          'location',
          `/v1/documents/${encodeURIComponent(result.documentId)}`,
        );
      }
      return reply.code(created ? 201 : 200).send({
        documentId: result.documentId,
        outcome: outcomeName(result.outcome),
        chunkCount: result.chunkCount,
        version: result.version,
        contentHash: result.contentHash,
        flaggedChunks: result.flaggedChunks.map((chunk) => ({
          chunkId: chunk.chunkId,
          rules: [...chunk.rules],
          section: chunk.sectionPath,
        })),
      });
    },
  );

  typed.delete(
    '/documents/:id',
    {
      schema: {
        summary: 'Delete a collateral document',
        description: 'Removes the document and all its chunks from the index.',
        tags: ['collateral'],
        params: z.object({ id: documentId.describe('Document id') }),
        response: { 200: deleteResponse, ...backendErrors },
      },
    },
    async (request) => {
      const response = await retrieval.deleteDocument(
        { documentId: request.params.id },
        await downstreamCallOf(request),
      );
      return {
        documentId: response.documentId,
        deletedChunkCount: response.deletedChunkCount,
      };
    },
  );
  done();
};
