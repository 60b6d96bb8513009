import {
  RetrievalServiceService,
  type DeleteDocumentRequest,
  type DeleteDocumentResponse,
  type IngestDocumentsRequest,
  type IngestDocumentsResponse,
  type ListDocumentsRequest,
  type ListDocumentsResponse,
  type SearchRequest,
  type SearchResponse,
} from '@fieldwise/contracts';
import { createGrpcClient, type GrpcServiceClient } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import { callUnary } from './downstream-call.js';
import type { DownstreamCall } from './identity-client.js';

/**
 * Port: the collateral calls the public API exposes. The retrieval-service
 * applies document-level access from the signed principal: a document the
 * caller may not read never appears in results and is NOT_FOUND.
 */
export interface RetrievalClient {
  search(request: SearchRequest, call: DownstreamCall): Promise<SearchResponse>;
  ingestDocuments(
    request: IngestDocumentsRequest,
    call: DownstreamCall,
  ): Promise<IngestDocumentsResponse>;
  deleteDocument(
    request: DeleteDocumentRequest,
    call: DownstreamCall,
  ): Promise<DeleteDocumentResponse>;
  listDocuments(
    request: ListDocumentsRequest,
    call: DownstreamCall,
  ): Promise<ListDocumentsResponse>;
}

/** {@link RetrievalClient} over gRPC. */
export class GrpcRetrievalClient implements RetrievalClient {
  private readonly client: GrpcServiceClient<typeof RetrievalServiceService>;

  constructor(
    address: string,
    options: { deadlineMs: number; logger?: Logger },
  ) {
    this.client = createGrpcClient(RetrievalServiceService, address, {
      defaultDeadlineMs: options.deadlineMs,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  search(request: SearchRequest, call: DownstreamCall) {
    return callUnary(this.client.search, request, call, true);
  }

  ingestDocuments(request: IngestDocumentsRequest, call: DownstreamCall) {
    // Idempotent by contract: the same id and content again is UNCHANGED.
    return callUnary(this.client.ingestDocuments, request, call, true);
  }

  deleteDocument(request: DeleteDocumentRequest, call: DownstreamCall) {
    // A replayed delete would answer NOT_FOUND for a delete that succeeded.
    return callUnary(this.client.deleteDocument, request, call, false);
  }

  listDocuments(request: ListDocumentsRequest, call: DownstreamCall) {
    return callUnary(this.client.listDocuments, request, call, true);
  }

  close(): void {
    this.client.close();
  }
}
