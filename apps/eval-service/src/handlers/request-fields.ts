import { ValidationError } from '@fieldwise/errors';

/** A required id field: trimmed, 1 to 128 characters, else VALIDATION_FAILED naming `field`. */
export function requireId(value: string, field: string): string {
  const id = value.trim();
  if (id === '' || id.length > 128) {
    throw new ValidationError([
      { field, message: 'must be 1 to 128 characters' },
    ]);
  }
  return id;
}

/** An optional id field: empty is undefined; otherwise as {@link requireId}. */
export function optionalId(value: string, field: string): string | undefined {
  return value.trim() === '' ? undefined : requireId(value, field);
}
