import {
  DocumentType as ProtoDocumentType,
  DocumentVisibility,
  type DocumentMetadata as ProtoDocumentMetadata,
} from '@fieldwise/contracts';
import type {
  DocumentMetadata,
  DocumentType,
  SourceFormat,
  Visibility,
} from '../domain/index.js';

/**
 * The contract's document types are coarser than the corpus's: each
 * domain type maps to exactly one proto type, and `OTHER` stands for the
 * three types the contract does not name.
 */
const TYPE_TO_PROTO: Readonly<Record<DocumentType, ProtoDocumentType>> = {
  playbook: ProtoDocumentType.PLAYBOOK,
  battlecard: ProtoDocumentType.BATTLECARD,
  'case-study': ProtoDocumentType.CASE_STUDY,
  'pitch-deck-outline': ProtoDocumentType.PITCH_DECK,
  'product-brief': ProtoDocumentType.PRODUCT_DOC,
  'pricing-guideline': ProtoDocumentType.OTHER,
  'objection-handling': ProtoDocumentType.OTHER,
  'security-faq': ProtoDocumentType.OTHER,
};

/** The proto type of a domain document type. */
export function typeToProto(type: DocumentType): ProtoDocumentType {
  return TYPE_TO_PROTO[type];
}

/**
 * The domain types a proto type stands for (several for `OTHER`); empty for
 * `UNSPECIFIED` and values this build does not know.
 */
export function typesFromProto(type: ProtoDocumentType): DocumentType[] {
  return (Object.keys(TYPE_TO_PROTO) as DocumentType[]).filter(
    (domainType) =>
      type !== ProtoDocumentType.UNSPECIFIED &&
      TYPE_TO_PROTO[domainType] === type,
  );
}

/** The proto visibility of a domain class: `partner` and `confidential` are RESTRICTED. */
export function visibilityToProto(visibility: Visibility): DocumentVisibility {
  switch (visibility) {
    case 'public':
      return DocumentVisibility.PUBLIC;
    case 'internal':
      return DocumentVisibility.INTERNAL;
    case 'partner':
    case 'confidential':
      return DocumentVisibility.RESTRICTED;
  }
}

/**
 * Restricted classes from the narrowest reader set to the widest: an
 * ingestion that asks for RESTRICTED gets the first class every listed
 * role may read.
 */
export const RESTRICTED_CLASSES: readonly Visibility[] = [
  'confidential',
  'partner',
];

/**
 * The proto metadata of a stored document; `allowedRoles` lists, for a
 * RESTRICTED document, the roles the policy lets read its class.
 */
export function metadataToProto(
  metadata: DocumentMetadata,
  readersOf: (visibility: Visibility) => string[],
): ProtoDocumentMetadata {
  const visibility = visibilityToProto(metadata.visibility);
  return {
    type: typeToProto(metadata.type),
    products: [...metadata.products],
    competitors: [...metadata.competitors],
    industries: [...metadata.industries],
    regions: [...metadata.regions],
    visibility,
    allowedRoles:
      visibility === DocumentVisibility.RESTRICTED
        ? readersOf(metadata.visibility)
        : [],
    owner: metadata.owner,
    updated: metadata.updated,
  };
}

const FORMAT_MEDIA_TYPES: Readonly<Record<SourceFormat, string>> = {
  markdown: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  text: 'text/plain',
};

/** The media type of a stored source format. */
export function mediaTypeOf(format: SourceFormat): string {
  return FORMAT_MEDIA_TYPES[format];
}

const MEDIA_TYPE_EXTENSIONS: Readonly<Record<string, string>> = {
  'text/markdown': '.md',
  'text/x-markdown': '.md',
  'text/plain': '.txt',
  'text/html': '.html',
  'application/pdf': '.pdf',
};

/** Media types ingestion accepts (parameters such as `charset` are ignored). */
export const SUPPORTED_MEDIA_TYPES = Object.keys(MEDIA_TYPE_EXTENSIONS);

/**
 * The file extension the domain parser keys its format on, for a media type
 * such as `text/markdown; charset=utf-8`; undefined when unsupported.
 */
export function extensionForMediaType(mediaType: string): string | undefined {
  const essence = mediaType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return MEDIA_TYPE_EXTENSIONS[essence];
}

/** Heading path as the contract spells it: headings joined by " > ". */
export function sectionPathText(sectionPath: readonly string[]): string {
  return sectionPath.join(' > ');
}
