import type {
  Chunk,
  GetDocumentRequest,
  GetDocumentResponse,
} from '@fieldwise/contracts';
import type { CallContext } from '@fieldwise/grpc';
import { ruleIdsOf } from '../adapters/injection-scanner/index.js';
import { getDocument } from '../domain/index.js';
import type { RetrievalHandlerDeps } from './handler-deps.js';
import { requireDocumentId } from './request-fields.js';
import {
  mediaTypeOf,
  metadataToProto,
  sectionPathText,
} from './proto-mapping.js';

/**
 * GetDocument: a document the principal may read, with its chunks on
 * request. A document that does not exist and one the principal may not
 * read are the same NOT_FOUND, so confidential ids cannot be probed.
 */
export function getDocumentHandler(
  deps: RetrievalHandlerDeps,
  request: GetDocumentRequest,
  ctx: CallContext,
): GetDocumentResponse {
  const documentId = requireDocumentId(request.documentId);
  const scope = deps.access.scopeFor(ctx.principal);
  const document = getDocument(deps, { scope, documentId });
  const chunks: Chunk[] = request.includeChunks
    ? deps.store
        .getChunks(deps.store.chunkIds(scope.tenant, documentId), scope)
        .map(({ chunk }) => chunk)
        .sort((a, b) => a.ordinal - b.ordinal)
        .map((chunk) => ({
          id: chunk.id,
          ordinal: chunk.ordinal,
          sectionPath: sectionPathText(chunk.sectionPath),
          text: chunk.text,
          charStart: chunk.span.start,
          charEnd: chunk.span.end,
          flags: chunk.injection.flagged
            ? ruleIdsOf(chunk.injection.reasons)
            : [],
        }))
    : [];
  return {
    document: {
      id: document.metadata.id,
      title: document.metadata.title,
      mediaType: mediaTypeOf(document.format),
      metadata: metadataToProto(document.metadata, (visibility) =>
        deps.access.readersOf(scope.tenant, visibility),
      ),
      sourceUri: document.sourceName,
      contentHash: document.contentHash,
      // Not tracked by the domain (no version history, no ingesting user, no first-ingestion time).
      version: 0,
      chunkCount: document.chunkCount,
      ingestedBy: '',
      createdAt: '',
      updatedAt: document.ingestedAt,
    },
    chunks,
  };
}
