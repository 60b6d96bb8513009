import type {
  DeleteDocumentRequest,
  DeleteDocumentResponse,
} from '@fieldwise/contracts';
import type { CallContext } from '@fieldwise/grpc';
import { deleteDocument } from '../domain/index.js';
import type { RetrievalHandlerDeps } from './handler-deps.js';
import { requireDocumentId } from './request-fields.js';

/**
 * DeleteDocument: content managers only (the policy's
 * `DELETE /v1/documents/:id` rule), whatever the document's visibility (the
 * right is on the lifecycle, not on reading). NOT_FOUND when the tenant has
 * no such document.
 */
export async function deleteDocumentHandler(
  deps: RetrievalHandlerDeps,
  request: DeleteDocumentRequest,
  ctx: CallContext,
): Promise<DeleteDocumentResponse> {
  deps.access.assertMay(ctx.principal, 'delete');
  const documentId = requireDocumentId(request.documentId);
  const { chunksRemoved } = await deps.writes.run(() =>
    deleteDocument(
      { store: deps.store, index: deps.index, logger: ctx.logger },
      { tenant: ctx.principal.tenant, documentId },
    ),
  );
  return { documentId, deletedChunkCount: chunksRemoved };
}
