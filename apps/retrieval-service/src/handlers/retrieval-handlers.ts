import type { RetrievalServiceService } from '@fieldwise/contracts';
import type { ServiceHandlers } from '@fieldwise/grpc';
import { deleteDocumentHandler } from './delete-document.js';
import { embedHandler } from './embed.js';
import { getDocumentHandler } from './get-document.js';
import type { RetrievalHandlerDeps } from './handler-deps.js';
import { ingestDocumentsHandler } from './ingest-documents.js';
import { listDocumentsHandler } from './list-documents.js';
import { searchHandler } from './search.js';

/**
 * The RetrievalService handlers over one set of dependencies. Each handler
 * checks the principal, validates the request (INVALID_ARGUMENT naming each
 * field), calls the domain and encodes the result; typed domain errors pass
 * through as their gRPC status.
 */
export function createRetrievalHandlers(
  deps: RetrievalHandlerDeps,
): ServiceHandlers<typeof RetrievalServiceService> {
  return {
    ingestDocuments: (request, ctx) =>
      ingestDocumentsHandler(deps, request, ctx),
    search: (request, ctx) => searchHandler(deps, request, ctx),
    deleteDocument: (request, ctx) => deleteDocumentHandler(deps, request, ctx),
    getDocument: (request, ctx) => getDocumentHandler(deps, request, ctx),
    listDocuments: (request, ctx) => listDocumentsHandler(deps, request, ctx),
    embed: (request) => embedHandler(deps, request),
  };
}
