import { ValidationError } from '@fieldwise/errors';

/**
 * The `document_id` of a request, or INVALID_ARGUMENT when it is empty or
 * longer than the contract's 128 characters.
 */
export function requireDocumentId(documentId: string): string {
  const id = documentId.trim();
  if (id === '' || id.length > 128) {
    throw new ValidationError([
      { field: 'document_id', message: 'must be 1 to 128 characters' },
    ]);
  }
  return id;
}
