import type {
  Document,
  ListDocumentsRequest,
  ListDocumentsResponse,
} from '@fieldwise/contracts';
import { PermissionDeniedError, ValidationError } from '@fieldwise/errors';
import type { CallContext } from '@fieldwise/grpc';
import type { DocumentRecord } from '../domain/index.js';
import type { RetrievalHandlerDeps } from './handler-deps.js';
import {
  mediaTypeOf,
  metadataToProto,
  typesFromProto,
} from './proto-mapping.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

/**
 * ListDocuments: the metadata of the tenant's documents, ordered by id and
 * paged by the last id seen. A principal who may manage collateral (the
 * policy's delete right) sees every document, since it must be able to
 * find what it deletes; anyone else only the classes it may read.
 */
export function listDocumentsHandler(
  deps: RetrievalHandlerDeps,
  request: ListDocumentsRequest,
  ctx: CallContext,
): ListDocumentsResponse {
  const pageSize = request.page?.pageSize ?? 0;
  if (pageSize < 0) {
    throw new ValidationError([
      { field: 'page.page_size', message: 'must not be negative' },
    ]);
  }
  const after = decodeToken(request.page?.pageToken ?? '');
  const scope = deps.access.scopeFor(ctx.principal);
  const manages = mayManage(deps, ctx);
  const types = new Set(typesFromProto(request.type));
  const documents = deps.store
    .listDocumentIds(scope.tenant)
    .sort()
    .map((id) => deps.store.getDocument(scope.tenant, id))
    .filter(
      (document): document is DocumentRecord =>
        document !== undefined &&
        (manages ||
          scope.visibleClasses.includes(document.metadata.visibility)) &&
        (types.size === 0 || types.has(document.metadata.type)),
    );
  const start = after
    ? documents.findIndex((document) => document.metadata.id > after)
    : 0;
  const remaining = start < 0 ? [] : documents.slice(start);
  const size = Math.min(pageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const page = remaining.slice(0, size);
  const last = page.at(-1);
  return {
    documents: page.map((document) => documentToProto(deps, document)),
    page: {
      nextPageToken:
        remaining.length > size && last ? encodeToken(last.metadata.id) : '',
      totalSize: documents.length,
    },
  };
}

// The policy answers "may manage" by throwing; a deny here only narrows the list.
function mayManage(deps: RetrievalHandlerDeps, ctx: CallContext): boolean {
  try {
    deps.access.assertMay(ctx.principal, 'delete');
    return true;
  } catch (error) {
    if (error instanceof PermissionDeniedError) return false;
    throw error;
  }
}

function encodeToken(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  if (token === '') return '';
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(id)) {
    throw new ValidationError([
      { field: 'page.page_token', message: 'is not a token of this list' },
    ]);
  }
  return id;
}

function documentToProto(
  deps: RetrievalHandlerDeps,
  document: DocumentRecord,
): Document {
  return {
    id: document.metadata.id,
    title: document.metadata.title,
    mediaType: mediaTypeOf(document.format),
    metadata: metadataToProto(document.metadata, (visibility) =>
      deps.access.readersOf(document.tenant, visibility),
    ),
    sourceUri: document.sourceName,
    contentHash: document.contentHash,
    // Not tracked by the domain (as in GetDocument).
    version: 0,
    chunkCount: document.chunkCount,
    ingestedBy: '',
    createdAt: '',
    updatedAt: document.ingestedAt,
  };
}
