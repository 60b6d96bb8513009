import { createHash } from 'node:crypto';

/** Hex SHA-256 of the given parts, joined unambiguously. */
export function sha256(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(String(part.length));
    hash.update(':');
    hash.update(part);
  }
  return hash.digest('hex');
}
