import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FieldwiseError } from '@fieldwise/errors';
import { resolveKey } from './principal-key.js';

const SECRET_BYTES = 32;

/**
 * Returns the secret stored in `filePath`, creating it on first use: 32
 * random bytes written as base64 text with mode 0600 (missing directories are
 * created with mode 0700). Concurrent first uses agree on one secret: the
 * secret is written to a private temporary file and hard-linked into place,
 * which fails for every writer but one, so nobody reads a half-written file.
 * Meant for development keys (principal key, gateway dev JWT secret);
 * production passes the key through config.
 * @throws FieldwiseError CONFIG_INVALID when the existing file does not hold a valid key.
 */
export async function loadOrCreateSecret(
  filePath: string,
): Promise<Uint8Array> {
  const existing = await readSecret(filePath);
  if (existing) return existing;
  await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
  const secret = new Uint8Array(randomBytes(SECRET_BYTES));
  const temporary = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${Buffer.from(secret).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    await link(temporary, filePath);
    return secret;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) {
      const raced = await readSecret(filePath);
      if (raced) return raced;
    }
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Cannot create the secret file ${filePath}`,
      { cause: error, context: { path: filePath } },
    );
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readSecret(filePath: string): Promise<Uint8Array | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Cannot read the secret file ${filePath}`,
      { cause: error, context: { path: filePath } },
    );
  }
  try {
    return resolveKey(text);
  } catch (error) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `The secret file ${filePath} does not hold a base64 key of at least 32 bytes`,
      { cause: error, context: { path: filePath } },
    );
  }
}

function isErrno(error: unknown, code: string): boolean {
  return (
    error instanceof Error && (error as NodeJS.ErrnoException).code === code
  );
}
