import {
  DOCUMENT_TYPES,
  REGIONS,
  VISIBILITY_CLASSES,
  type DocumentMetadata,
  type DocumentType,
  type Visibility,
} from './model.js';

/** The product line ids of data/domain.json. */
export const PRODUCT_IDS = [
  'stream',
  'lakehouse',
  'warehouse',
  'ai-studio',
  'govern',
  'connect',
] as const;

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Either valid metadata or every reason it is not. */
export type MetadataResult =
  | { readonly ok: true; readonly metadata: DocumentMetadata }
  | { readonly ok: false; readonly reasons: readonly string[] };

/**
 * Validates raw metadata against the front matter schema of
 * data/collateral/README.md. `expectedId` (the file name without extension)
 * is used when `id` is absent and must equal it when present. List fields
 * accept arrays or comma-separated strings (HTML meta tags).
 */
export function validateMetadata(
  raw: Readonly<Record<string, unknown>>,
  expectedId: string,
): MetadataResult {
  const reasons: string[] = [];
  const str = (field: string, required: boolean): string => {
    const value = raw[field];
    if (value === undefined || value === null || value === '') {
      if (required) reasons.push(`metadata '${field}' is missing`);
      return '';
    }
    if (typeof value !== 'string') {
      reasons.push(`metadata '${field}' must be a string`);
      return '';
    }
    return value.trim();
  };
  const list = (field: string, allowed?: readonly string[]): string[] => {
    const value = raw[field];
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value)
      ? value
      : typeof value === 'string'
        ? value.split(',')
        : null;
    if (items === null || !items.every((item) => typeof item === 'string')) {
      reasons.push(`metadata '${field}' must be a list of strings`);
      return [];
    }
    const cleaned = items
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (allowed) {
      for (const item of cleaned) {
        if (!allowed.includes(item))
          reasons.push(`metadata '${field}' has unknown value '${item}'`);
      }
    }
    return cleaned;
  };

  const id = str('id', false) || expectedId;
  if (!ID_PATTERN.test(id))
    reasons.push(`document id '${id}' is not kebab-case`);
  if (id !== expectedId) {
    reasons.push(
      `metadata id '${id}' differs from the file name '${expectedId}'`,
    );
  }
  const title = str('title', true);
  const type = str('type', true);
  if (type && !(DOCUMENT_TYPES as readonly string[]).includes(type)) {
    reasons.push(`metadata 'type' has unknown value '${type}'`);
  }
  const visibility = str('visibility', true);
  if (
    visibility &&
    !(VISIBILITY_CLASSES as readonly string[]).includes(visibility)
  ) {
    reasons.push(`metadata 'visibility' has unknown value '${visibility}'`);
  }
  const updated = str('updated', false);
  if (
    updated &&
    (!DATE_PATTERN.test(updated) || Number.isNaN(Date.parse(updated)))
  ) {
    reasons.push(`metadata 'updated' is not a YYYY-MM-DD date`);
  }
  const metadata: DocumentMetadata = {
    id,
    title,
    type: type as DocumentType,
    products: list('products', PRODUCT_IDS),
    competitors: list('competitors'),
    industries: list('industries'),
    regions: list('regions', REGIONS),
    visibility: visibility as Visibility,
    owner: str('owner', false),
    updated,
  };
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, metadata };
}
