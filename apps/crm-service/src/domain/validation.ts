import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import type { z } from 'zod';

/**
 * Parses `input` with `schema`, turning every zod issue into a
 * `VALIDATION_FAILED` violation (field path prefixed by `prefix`).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = '',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const violations: FieldViolation[] = result.error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)]
      .filter((p) => p !== '')
      .join('.'),
    message: issue.message,
  }));
  throw new ValidationError(violations);
}

/** An id as it arrives from callers: bounded, printable. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
