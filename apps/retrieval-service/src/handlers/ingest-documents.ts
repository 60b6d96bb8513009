import {
  DocumentType as ProtoDocumentType,
  DocumentVisibility,
  IngestOutcome,
  type DocumentInput,
  type FlaggedChunk,
  type IngestDocumentsRequest,
  type IngestDocumentsResponse,
  type IngestResult,
} from '@fieldwise/contracts';
import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import type { CallContext } from '@fieldwise/grpc';
import { ruleIdsOf } from '../adapters/injection-scanner/index.js';
import {
  DocumentRejection,
  ingestDocuments,
  parseSourceDocument,
  VISIBILITY_CLASSES,
  type DocumentMetadata,
  type IngestedDocument,
  type RejectedDocument,
  type SourceDocument,
  type Visibility,
} from '../domain/index.js';
import type { RetrievalHandlerDeps } from './handler-deps.js';
import {
  extensionForMediaType,
  RESTRICTED_CLASSES,
  sectionPathText,
  SUPPORTED_MEDIA_TYPES,
  typesFromProto,
} from './proto-mapping.js';

/** Most documents one IngestDocuments call accepts. */
export const MAX_INGEST_BATCH = 100;

const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** A document the handler turned into a domain source, or rejected itself. */
type Prepared =
  | {
      readonly kind: 'source';
      readonly id: string;
      readonly source: SourceDocument;
    }
  | { readonly kind: 'rejected'; readonly result: IngestResult };

/**
 * IngestDocuments: content managers only (the policy's `POST /v1/documents`
 * rule). A malformed batch (no documents, more than 100, a missing or
 * malformed id, a repeated id, no content) is INVALID_ARGUMENT as a whole;
 * everything else is judged per document, in input order, and a rejected
 * document carries a catalogue code and every reason.
 */
export async function ingestDocumentsHandler(
  deps: RetrievalHandlerDeps,
  request: IngestDocumentsRequest,
  ctx: CallContext,
): Promise<IngestDocumentsResponse> {
  deps.access.assertMay(ctx.principal, 'ingest');
  validateBatch(request);
  const tenant = ctx.principal.tenant;
  const prepared = request.documents.map((input) =>
    prepareDocument(deps, tenant, input),
  );
  const sources = prepared.flatMap((p) =>
    p.kind === 'source' ? [p.source] : [],
  );
  const report = await deps.writes.run(() =>
    ingestDocuments(
      {
        store: deps.store,
        index: deps.index,
        embedder: deps.embedder,
        scanner: deps.scanner,
        logger: ctx.logger,
        maxDocumentBytes: deps.maxDocumentBytes,
      },
      { tenant, documents: sources },
    ),
  );
  const accepted = new Map(report.documents.map((d) => [d.documentId, d]));
  const rejected = new Map(report.rejected.map((r) => [r.documentId, r]));
  ctx.logger.info(
    {
      tenant,
      accepted: report.documents.length,
      rejected: report.rejected.length + (prepared.length - sources.length),
      chunksWritten: report.chunksWritten,
      chunksRemoved: report.chunksRemoved,
    },
    'documents ingested',
  );
  return {
    results: prepared.map((p) =>
      p.kind === 'rejected'
        ? p.result
        : resultOf(deps, tenant, p.id, accepted.get(p.id), rejected.get(p.id)),
    ),
  };
}

function validateBatch(request: IngestDocumentsRequest): void {
  const violations: FieldViolation[] = [];
  const documents = request.documents;
  if (documents.length === 0 || documents.length > MAX_INGEST_BATCH) {
    violations.push({
      field: 'documents',
      message: `must hold 1 to ${MAX_INGEST_BATCH} documents`,
    });
  }
  const seen = new Set<string>();
  documents.forEach((document, i) => {
    if (!ID_PATTERN.test(document.id)) {
      violations.push({
        field: `documents[${i}].id`,
        message: 'must be 1 to 128 characters of [A-Za-z0-9._-]',
      });
    } else if (seen.has(document.id)) {
      violations.push({
        field: `documents[${i}].id`,
        message: `repeats the id '${document.id}'`,
      });
    }
    seen.add(document.id);
    if (document.content === undefined) {
      violations.push({
        field: `documents[${i}].content`,
        message: 'set exactly one of text or data',
      });
    }
  });
  if (violations.length > 0) throw new ValidationError(violations);
}

function prepareDocument(
  deps: RetrievalHandlerDeps,
  tenant: string,
  input: DocumentInput,
): Prepared {
  const reject = (reasonCode: string, reason: string): Prepared => ({
    kind: 'rejected',
    result: rejectedResult(input.id, reasonCode, reason),
  });
  const extension = extensionForMediaType(input.mediaType);
  if (!extension) {
    return reject(
      'UNSUPPORTED_MEDIA_TYPE',
      input.mediaType.trim() === ''
        ? `media_type is required (one of ${SUPPORTED_MEDIA_TYPES.join(', ')})`
        : `media type '${input.mediaType}' is not supported (use one of ${SUPPORTED_MEDIA_TYPES.join(', ')})`,
    );
  }
  // validateBatch guarantees content is set.
  const content =
    input.content?.$case === 'data'
      ? new Uint8Array(input.content.value)
      : new TextEncoder().encode(input.content?.value ?? '');
  if (content.byteLength > deps.maxDocumentBytes) {
    return reject(
      'PAYLOAD_TOO_LARGE',
      `document is ${content.byteLength} bytes; the limit is ${deps.maxDocumentBytes} bytes`,
    );
  }
  const overrides = metadataOverrides(deps, tenant, input);
  if (!overrides.ok) return reject('VALIDATION_FAILED', overrides.reason);
  const source: SourceDocument = {
    name: `${input.id}${extension}`,
    content,
    metadata: overrides.metadata,
  };
  const problem = checkEmbeddedMetadata(deps, source, overrides.requires);
  if (problem) return reject('VALIDATION_FAILED', problem);
  return { kind: 'source', id: input.id, source };
}

/** Constraints on metadata the request leaves to the document itself. */
interface EmbeddedRequirements {
  readonly types?: readonly string[];
  readonly visibilities?: readonly Visibility[];
}

type Overrides =
  | {
      readonly ok: true;
      readonly metadata: Record<string, unknown>;
      readonly requires: EmbeddedRequirements;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * The request's set metadata fields, which win over the document's own
 * (front matter, meta tags). Where the contract is coarser than the corpus
 * (type OTHER, visibility RESTRICTED without roles) the document itself must
 * say which precise value it is.
 */
function metadataOverrides(
  deps: RetrievalHandlerDeps,
  tenant: string,
  input: DocumentInput,
): Overrides {
  const metadata: Record<string, unknown> = { id: input.id };
  const requires: { types?: string[]; visibilities?: Visibility[] } = {};
  if (input.title.trim() !== '') metadata.title = input.title.trim();
  const requested = input.metadata;
  if (!requested) return { ok: true, metadata, requires };

  if (requested.type !== ProtoDocumentType.UNSPECIFIED) {
    const types = typesFromProto(requested.type);
    if (types.length === 0) {
      return {
        ok: false,
        reason: `metadata.type ${String(requested.type)} is not a known document type`,
      };
    }
    if (types.length === 1) metadata.type = types[0];
    else requires.types = types;
  }
  for (const field of [
    'products',
    'competitors',
    'industries',
    'regions',
  ] as const) {
    if (requested[field].length > 0) metadata[field] = [...requested[field]];
  }
  if (requested.owner.trim() !== '') metadata.owner = requested.owner.trim();
  if (requested.updated.trim() !== '')
    metadata.updated = requested.updated.trim();

  const allowed = requested.allowedRoles;
  switch (requested.visibility) {
    case DocumentVisibility.UNSPECIFIED:
      break;
    case DocumentVisibility.PUBLIC:
      metadata.visibility = 'public';
      break;
    case DocumentVisibility.INTERNAL:
      metadata.visibility = 'internal';
      break;
    case DocumentVisibility.RESTRICTED: {
      if (allowed.length === 0) {
        requires.visibilities = [...RESTRICTED_CLASSES];
        break;
      }
      const fitting = RESTRICTED_CLASSES.find((cls) => {
        const readers = deps.access.readersOf(tenant, cls);
        return allowed.every((role) => readers.includes(role));
      });
      if (!fitting) {
        return {
          ok: false,
          reason: `no restricted visibility class is readable by all of allowed_roles [${allowed.join(', ')}] (${RESTRICTED_CLASSES.map((cls) => `${cls}: ${deps.access.readersOf(tenant, cls).join(', ')}`).join('; ')})`,
        };
      }
      metadata.visibility = fitting;
      break;
    }
    default:
      return {
        ok: false,
        reason: `metadata.visibility ${String(requested.visibility)} is not a known visibility`,
      };
  }
  if (
    allowed.length > 0 &&
    requested.visibility !== DocumentVisibility.RESTRICTED
  ) {
    return {
      ok: false,
      reason: 'metadata.allowed_roles applies only to RESTRICTED documents',
    };
  }
  return { ok: true, metadata, requires };
}

/**
 * Checks what the document's own metadata must say when the request was
 * coarser than the corpus; undefined when it fits. A document that does not
 * parse is left to ingestion, which rejects it with every reason.
 */
function checkEmbeddedMetadata(
  deps: RetrievalHandlerDeps,
  source: SourceDocument,
  requires: EmbeddedRequirements,
): string | undefined {
  if (!requires.types && !requires.visibilities) return undefined;
  let metadata: DocumentMetadata;
  try {
    metadata = parseSourceDocument(source, deps.maxDocumentBytes).metadata;
  } catch (error) {
    if (error instanceof DocumentRejection) return undefined;
    throw error;
  }
  if (requires.types && !requires.types.includes(metadata.type)) {
    return `metadata.type OTHER needs the document's own type to be one of ${requires.types.join(', ')} (it says '${metadata.type}')`;
  }
  if (
    requires.visibilities &&
    !requires.visibilities.includes(metadata.visibility)
  ) {
    return `metadata.visibility RESTRICTED without allowed_roles needs the document's own visibility to be one of ${requires.visibilities.join(', ')} (it says '${metadata.visibility}')`;
  }
  return undefined;
}

const OUTCOMES: Readonly<Record<IngestedDocument['status'], IngestOutcome>> = {
  created: IngestOutcome.INGESTED,
  updated: IngestOutcome.REPLACED,
  unchanged: IngestOutcome.UNCHANGED,
};

function resultOf(
  deps: RetrievalHandlerDeps,
  tenant: string,
  id: string,
  accepted: IngestedDocument | undefined,
  rejected: RejectedDocument | undefined,
): IngestResult {
  if (!accepted) {
    return rejectedResult(
      id,
      'VALIDATION_FAILED',
      rejected?.reasons.join('; ') ?? 'document was not ingested',
    );
  }
  const stored = deps.store.getDocument(tenant, id);
  return {
    documentId: id,
    outcome: OUTCOMES[accepted.status],
    reasonCode: '',
    reason: '',
    chunkCount: accepted.chunks,
    flaggedChunks: flaggedChunksOf(deps, tenant, id),
    contentHash: stored?.contentHash ?? '',
    // The domain keeps no version history; 0 is proto3's "unknown".
    version: 0,
  };
}

/** Every flagged chunk of a document, whatever its visibility: this is the ingester's own report. */
function flaggedChunksOf(
  deps: RetrievalHandlerDeps,
  tenant: string,
  documentId: string,
): FlaggedChunk[] {
  const ids = deps.store.chunkIds(tenant, documentId);
  return deps.store
    .getChunks(ids, { tenant, roles: [], visibleClasses: VISIBILITY_CLASSES })
    .filter(({ chunk }) => chunk.injection.flagged)
    .sort((a, b) => a.chunk.ordinal - b.chunk.ordinal)
    .map(({ chunk }) => ({
      chunkId: chunk.id,
      rules: ruleIdsOf(chunk.injection.reasons),
      sectionPath: sectionPathText(chunk.sectionPath),
    }));
}

function rejectedResult(
  documentId: string,
  reasonCode: string,
  reason: string,
): IngestResult {
  return {
    documentId,
    outcome: IngestOutcome.REJECTED,
    reasonCode,
    reason,
    chunkCount: 0,
    flaggedChunks: [],
    contentHash: '',
    version: 0,
  };
}
