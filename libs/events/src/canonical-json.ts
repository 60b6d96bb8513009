import { ValidationError } from '@fieldwise/errors';

/**
 * Serializes a JSON value with object keys sorted (recursively) and no
 * whitespace, so equal values always give equal bytes: the input of the
 * audit-chain hash. Properties whose value is `undefined` are omitted, as
 * `JSON.stringify` does (and `undefined` array items become `null`). Throws
 * `ValidationError`, naming the path, on values JSON cannot represent
 * faithfully (non-finite numbers, bigint, functions, symbols).
 */
export function canonicalJson(value: unknown): string {
  try {
    return serialize(value);
  } catch (error) {
    if (error instanceof Unrepresentable) {
      throw new ValidationError([
        {
          field: error.path.reverse().join('.'),
          message: `${error.what} cannot be represented in canonical JSON`,
        },
      ]);
    }
    throw error;
  }
}

/** Thrown inside the recursion; the path is collected while unwinding. */
class Unrepresentable extends Error {
  readonly path: string[] = [];
  constructor(readonly what: string) {
    super(what);
  }
}

function serialize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Unrepresentable(String(value));
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) return serializeArray(value);
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      return serializeObject(value as Record<string, unknown>);
    default:
      throw new Unrepresentable(typeof value);
  }
}

function serializeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let index = 0; index < items.length; index += 1) {
    if (index > 0) out += ',';
    const item = items[index];
    out += item === undefined ? 'null' : within(String(index), item);
  }
  return `${out}]`;
}

function serializeObject(object: Record<string, unknown>): string {
  // Default sort compares UTF-16 code units, which is stable across runtimes.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${within(key, item)}`;
  }
  return `${out}}`;
}

function within(segment: string, value: unknown): string {
  try {
    return serialize(value);
  } catch (error) {
    if (error instanceof Unrepresentable) error.path.push(segment);
    throw error;
  }
}
