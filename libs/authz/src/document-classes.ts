/**
 * Visibility classes of collateral (`visibility:` in data/collateral/*.md),
 * from least to most restricted; `partner` is the partner-facing class.
 */
export const DOCUMENT_CLASSES = [
  'public',
  'internal',
  'confidential',
  'partner',
] as const;

/** A document visibility class. */
export type DocumentClass = (typeof DOCUMENT_CLASSES)[number];

/** True when `value` names a document visibility class. */
export function isDocumentClass(value: string): value is DocumentClass {
  return (DOCUMENT_CLASSES as readonly string[]).includes(value);
}
