import type { SearchScope } from '../../domain/access.js';
import type {
  ChunkRecord,
  DocumentRecord,
  SearchFilters,
} from '../../domain/model.js';

/** A lexical hit: chunk id and BM25 score (higher is better). */
export interface LexicalHit {
  readonly chunkId: string;
  readonly score: number;
}

/** A chunk together with its document's record (without the document text). */
export interface ChunkWithDocument {
  readonly chunk: ChunkRecord;
  readonly document: Omit<DocumentRecord, 'text'>;
}

/**
 * Documents, chunks and the BM25 index over chunks. Writes of one document
 * are atomic. Reads that take a scope never return anything outside it.
 */
export interface DocumentStore {
  /** The stored document, regardless of visibility (ingestion and deletion use it). */
  getDocument(tenant: string, documentId: string): DocumentRecord | undefined;
  /** Chunk ids of a document, in order. */
  chunkIds(tenant: string, documentId: string): string[];
  /** Replaces a document and all its chunks in one transaction. */
  replaceDocument(
    document: DocumentRecord,
    chunks: readonly ChunkRecord[],
  ): void;
  /** Removes a document and its chunks; returns the removed chunk ids. */
  deleteDocument(tenant: string, documentId: string): string[];
  /**
   * BM25 over chunk title, section path, keywords and text for the given
   * terms (OR-ed), restricted to the scope and filters inside the query,
   * best first, at most `limit` hits.
   */
  searchLexical(
    terms: readonly string[],
    scope: SearchScope,
    filters: SearchFilters,
    limit: number,
  ): LexicalHit[];
  /** Chunks by id with their documents, restricted to the scope (others are omitted). */
  getChunks(ids: readonly string[], scope: SearchScope): ChunkWithDocument[];
  /** Distinct indexed terms with their document frequency (spelling correction). */
  vocabulary(): ReadonlyMap<string, number>;
  /** Document ids of a tenant. */
  listDocumentIds(tenant: string): string[];
  close(): void;
}
