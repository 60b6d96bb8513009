import type { Embedder } from '../adapters/embeddings/port.js';
import type { DocumentStore } from '../adapters/store/port.js';
import type { VectorIndex } from '../adapters/vector-index/port.js';
import type { InjectionScanner } from '../domain/index.js';
import type { DocumentAccess } from './document-access.js';
import type { SerialQueue } from './serial-queue.js';

/** What the retrieval handlers work with; built once by the server wiring. */
export interface RetrievalHandlerDeps {
  readonly store: DocumentStore;
  readonly index: VectorIndex;
  readonly embedder: Embedder;
  readonly scanner: InjectionScanner;
  readonly access: DocumentAccess;
  /** Upper bound on one source document, in bytes (RETRIEVAL_MAX_DOCUMENT_BYTES). */
  readonly maxDocumentBytes: number;
  /** Serializes ingestions and deletions so two writes never interleave on one document. */
  readonly writes: SerialQueue;
}
