import { ValidationError } from '@fieldwise/errors';

/**
 * Protobuf cannot tell "unset" from its default: an empty string means
 * "absent". Returns `undefined` for `''`, the text otherwise (not trimmed:
 * the domain validates what the caller sent).
 */
export function optionalText(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/** `0` means "absent" (the RPC's default applies); anything else is passed on to validation. */
export function optionalNumber(value: number): number | undefined {
  return value === 0 ? undefined : value;
}

/**
 * Maps a protobuf enum value through `table`. `UNSPECIFIED` (0) gives
 * `fallback` when the field is optional; an unknown or unspecified value
 * without a fallback is `VALIDATION_FAILED` naming `field` and the accepted
 * names.
 */
export function fromEnum<T>(
  field: string,
  value: number,
  table: ReadonlyMap<number, T>,
  names: (value: number) => string,
  fallback?: T,
): T {
  if (value === 0 && fallback !== undefined) return fallback;
  const mapped = table.get(value);
  if (mapped !== undefined) return mapped;
  throw new ValidationError([
    {
      field,
      message: `must be one of ${[...table.keys()].map(names).join(', ')}`,
    },
  ]);
}

/**
 * Renames violation fields of a domain `VALIDATION_FAILED` error to the
 * request's own field names (`notes` → `body`), so the caller is told which
 * of its fields was wrong. Other errors pass through unchanged.
 */
export function renameViolations(
  error: unknown,
  names: Readonly<Record<string, string>>,
): unknown {
  if (!(error instanceof ValidationError)) return error;
  const renamed = error.violations.map((v) => {
    const [head = '', ...rest] = v.field.split('.');
    const name = Object.hasOwn(names, head) ? names[head] : undefined;
    return name === undefined ? v : { ...v, field: [name, ...rest].join('.') };
  });
  return new ValidationError(renamed);
}
