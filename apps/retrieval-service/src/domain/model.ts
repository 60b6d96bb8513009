/** Collateral document types (data/collateral/README.md, front matter `type`). */
export const DOCUMENT_TYPES = [
  'playbook',
  'battlecard',
  'case-study',
  'pitch-deck-outline',
  'product-brief',
  'pricing-guideline',
  'objection-handling',
  'security-faq',
] as const;

/** One collateral document type. */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Visibility classes, from least to most restricted reader set. */
export const VISIBILITY_CLASSES = [
  'public',
  'internal',
  'partner',
  'confidential',
] as const;

/** A document's visibility class; access control is a hard filter on it. */
export type Visibility = (typeof VISIBILITY_CLASSES)[number];

/** Region codes a document may list; `global` matches every region filter. */
export const REGIONS = ['AMER', 'EMEA', 'APJ', 'global'] as const;

/** The source formats ingestion understands. */
export type SourceFormat = 'markdown' | 'html' | 'pdf' | 'text';

/** The metadata every document carries (front matter, HTML meta tags or sidecar). */
export interface DocumentMetadata {
  readonly id: string;
  readonly title: string;
  readonly type: DocumentType;
  readonly products: readonly string[];
  readonly competitors: readonly string[];
  readonly industries: readonly string[];
  readonly regions: readonly string[];
  readonly visibility: Visibility;
  readonly owner: string;
  readonly updated: string;
}

/** Why part of a document is not shown to a human reader of the original. */
export type HiddenKind = 'html-comment' | 'hidden-style';

/** A half-open `[start, end)` range of UTF-16 offsets into a document's text. */
export interface CharSpan {
  readonly start: number;
  readonly end: number;
}

/** The verdict of the injection scanner on one chunk. */
export interface InjectionVerdict {
  readonly flagged: boolean;
  readonly reasons: readonly string[];
}

/** A stored document: its metadata, extracted text and the hash that decides re-ingestion. */
export interface DocumentRecord {
  readonly tenant: string;
  readonly metadata: DocumentMetadata;
  readonly format: SourceFormat;
  readonly sourceName: string;
  /** SHA-256 over the metadata and extracted text; equal hash means nothing to do. */
  readonly contentHash: string;
  /** The extracted text that chunk spans point into. */
  readonly text: string;
  readonly chunkCount: number;
  readonly ingestedAt: string;
}

/** A retrievable passage of a document. */
export interface ChunkRecord {
  /** `<documentId>#<ordinal>`; unique within a tenant. */
  readonly id: string;
  readonly tenant: string;
  readonly documentId: string;
  readonly ordinal: number;
  readonly title: string;
  /** Headings from the document title down to this chunk's section. */
  readonly sectionPath: readonly string[];
  readonly text: string;
  readonly span: CharSpan;
  readonly contentHash: string;
  /** Kinds of reader-invisible content inside this chunk (comments, hidden styles). */
  readonly hiddenContent: readonly HiddenKind[];
  readonly injection: InjectionVerdict;
}

/** Search filters; list filters match when the document lists any of the values. */
export interface SearchFilters {
  readonly type?: readonly DocumentType[];
  readonly products?: readonly string[];
  readonly competitors?: readonly string[];
  readonly industries?: readonly string[];
  /** A document listing `global` matches every region filter. */
  readonly regions?: readonly string[];
}
