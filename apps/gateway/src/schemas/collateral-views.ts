import { z } from 'zod';
import {
  documentTypeToJSON,
  documentVisibilityToJSON,
  type DocumentMetadata,
} from '@fieldwise/contracts';
import { enumNames } from './common.js';

// Public JSON views of the retrieval contract's document metadata, shared by
// the collateral and documents routes.

/** Document types as the public API names them. */
export const DOCUMENT_TYPES = [
  'unspecified',
  'playbook',
  'battlecard',
  'case_study',
  'pitch_deck',
  'product_doc',
  'other',
] as const;
/** Document visibilities as the public API names them. */
export const VISIBILITIES = [
  'unspecified',
  'internal',
  'restricted',
  'public',
] as const;

export const documentTypeName = enumNames(
  DOCUMENT_TYPES,
  documentTypeToJSON,
  'DOCUMENT_TYPE_',
);
const visibilityName = enumNames(
  VISIBILITIES,
  documentVisibilityToJSON,
  'DOCUMENT_VISIBILITY_',
);

/** The contract enum value of a public document type name. */
export function documentTypeValue(name: string): number {
  return DOCUMENT_TYPES.indexOf(name as (typeof DOCUMENT_TYPES)[number]);
}

/** The contract enum value of a public visibility name. */
export function visibilityValue(name: string): number {
  return VISIBILITIES.indexOf(name as (typeof VISIBILITIES)[number]);
}

export const documentMetadataSchema = z.object({
  type: z.enum(DOCUMENT_TYPES),
  products: z.array(z.string()),
  competitors: z.array(z.string()),
  industries: z.array(z.string()),
  regions: z.array(z.string()),
  visibility: z.enum(VISIBILITIES),
  allowedRoles: z
    .array(z.string())
    .describe('Roles that may read a restricted document'),
  owner: z.string(),
  updated: z.string().nullable().describe('Last content update (YYYY-MM-DD)'),
});

export function documentMetadataOf(
  metadata: DocumentMetadata | undefined,
): z.infer<typeof documentMetadataSchema> {
  return {
    type: documentTypeName(metadata?.type ?? 0),
    products: [...(metadata?.products ?? [])],
    competitors: [...(metadata?.competitors ?? [])],
    industries: [...(metadata?.industries ?? [])],
    regions: [...(metadata?.regions ?? [])],
    visibility: visibilityName(metadata?.visibility ?? 0),
    allowedRoles: [...(metadata?.allowedRoles ?? [])],
    owner: metadata?.owner ?? '',
    updated: metadata?.updated ? metadata.updated : null,
  };
}
