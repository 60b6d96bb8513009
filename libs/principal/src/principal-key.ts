import { FieldwiseError } from '@fieldwise/errors';

/** Key material: raw bytes, or the same bytes as a base64 (or base64url) string from config. */
export type PrincipalKey = Uint8Array | string;

/** HS256 needs at least as many key bits as the hash has (RFC 7518 §3.2). */
export const MIN_KEY_BYTES = 32;

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Turns configured key material into bytes.
 * @throws FieldwiseError CONFIG_INVALID when the string is not base64 or the key is shorter than 32 bytes.
 */
export function resolveKey(key: PrincipalKey): Uint8Array {
  let bytes: Uint8Array;
  if (typeof key === 'string') {
    const text = key.trim();
    if (!BASE64.test(text)) {
      throw new FieldwiseError(
        'CONFIG_INVALID',
        'Principal key must be base64 encoded',
      );
    }
    bytes = new Uint8Array(Buffer.from(text, 'base64'));
  } else {
    bytes = key;
  }
  if (bytes.byteLength < MIN_KEY_BYTES) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Principal key must be at least ${MIN_KEY_BYTES} bytes`,
      { context: { bytes: bytes.byteLength } },
    );
  }
  return bytes;
}
