export {
  assertValidScope,
  scopeForRoles,
  visibleClassesForRoles,
  type SearchScope,
} from './access.js';
export {
  chunkDocument,
  DEFAULT_CHUNKING,
  type ChunkingOptions,
  type DraftChunk,
} from './chunking.js';
export type { InjectionScanner } from './injection-scanner.js';
export {
  deleteDocument,
  embeddingText,
  ingestDocuments,
  type DeleteDocumentInput,
  type IngestDeps,
  type IngestedDocument,
  type IngestInput,
  type IngestReport,
  type RejectedDocument,
} from './ingest.js';
export { PRODUCT_IDS, validateMetadata } from './metadata.js';
export {
  DOCUMENT_TYPES,
  REGIONS,
  VISIBILITY_CLASSES,
  type CharSpan,
  type ChunkRecord,
  type DocumentMetadata,
  type DocumentRecord,
  type DocumentType,
  type HiddenKind,
  type InjectionVerdict,
  type SearchFilters,
  type SourceFormat,
  type Visibility,
} from './model.js';
export {
  DEFAULT_MAX_DOCUMENT_BYTES,
  parseSourceDocument,
  type SourceDocument,
  type ValidDocument,
} from './parsing/parse-document.js';
export {
  DocumentRejection,
  type ParsedDocument,
} from './parsing/parsed-document.js';
export {
  embedTexts,
  getDocument,
  MAX_EMBED_TEXTS,
  RRF_K,
  searchCollateral,
  type Citation,
  type SearchDeps,
  type SearchHit,
  type SearchInput,
  type SearchMode,
  type SearchResponse,
} from './search.js';
export type { Snippet } from './snippet.js';
