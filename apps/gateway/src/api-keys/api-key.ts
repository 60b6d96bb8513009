import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every API key starts with this, so secret scanners and logs can spot one. */
export const API_KEY_PREFIX = 'fwk';

// fwk_<16 hex id>_<43 base64url secret (32 random bytes)>
const API_KEY_FORMAT = /^fwk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A freshly generated key: the clear text (shown once) and what is stored. */
export interface GeneratedApiKey {
  /** Public id of the key: the O(1) lookup handle, safe to log and audit. */
  readonly id: string;
  /** The full key, handed to the service account once and never stored. */
  readonly key: string;
  /** SHA-256 (hex) of the full key: all the store ever holds of it. */
  readonly hash: string;
}

/** SHA-256 (hex) of a full API key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * A new high-entropy key (256 random bits) with a random public id. The id
 * lets verification find the one candidate record without scanning; the
 * secret part makes guessing hopeless, so a fast hash is enough.
 */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const key = `${API_KEY_PREFIX}_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/** The key's public id, or undefined when `key` is not shaped like an API key. */
export function apiKeyId(key: string): string | undefined {
  return API_KEY_FORMAT.exec(key)?.[1];
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return (
    presented.length === stored.length && timingSafeEqual(presented, stored)
  );
}
