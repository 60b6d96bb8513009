import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldwiseError } from '@fieldwise/errors';
import { loadOrCreateSecret } from '../src/index.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fieldwise-secret-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadOrCreateSecret', () => {
  it('creates a 32-byte secret readable only by its owner, then reuses it', async () => {
    const file = join(dir, 'nested', 'keys', 'principal.key');

    const first = await loadOrCreateSecret(file);
    const second = await loadOrCreateSecret(file);

    expect(first.byteLength).toBe(32);
    expect(second).toEqual(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(
      Buffer.from(first).toString('base64'),
    );
  });

  it('agrees on one secret when first uses race', async () => {
    const file = join(dir, 'raced.key');
    const secrets = await Promise.all(
      Array.from({ length: 5 }, () => loadOrCreateSecret(file)),
    );
    for (const secret of secrets) expect(secret).toEqual(secrets[0]);
  });

  it('rejects a file that does not hold a usable key', async () => {
    const file = join(dir, 'short.key');
    await writeFile(file, Buffer.from('short').toString('base64'));
    await expect(loadOrCreateSecret(file)).rejects.toBeInstanceOf(
      FieldwiseError,
    );
    await expect(loadOrCreateSecret(file)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
