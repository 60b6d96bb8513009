import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthorizer, type Authorizer } from '../src/index.js';
import { as, nextReload, silent, tempDir } from './helpers.js';

const CHAT = 'p, role:seller, *, /v1/chat, POST, allow';
const MODELS = 'p, role:seller, *, /v1/models, GET, allow';

describe('watch()', () => {
  let dir: string;
  let path: string;
  let cleanup: () => Promise<void>;
  let authz: Authorizer;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    path = join(dir, 'policy.csv');
    await writeFile(path, `${CHAT}\n`);
    authz = await createAuthorizer({
      policySource: { kind: 'file', path },
      logger: silent,
    });
  });
  afterEach(async () => {
    authz.close();
    await cleanup();
  });

  it('reloads when the file is written in place', async () => {
    authz.watch({ debounceMs: 20 });
    const reloaded = nextReload(authz, (event) => event.ok);
    await writeFile(path, `${CHAT}\n${MODELS}\n`);
    await expect(reloaded).resolves.toMatchObject({ ok: true, lines: 2 });
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models').allowed).toBe(
      true,
    );
  });

  it('keeps serving through a bad edit, then picks up a replacement by rename', async () => {
    authz.watch({ debounceMs: 20 });
    const rejected = nextReload(authz, (event) => !event.ok);
    await writeFile(
      path,
      `${MODELS}\np, role:intern, *, /v1/chat, POST, allow\n`,
    );
    const failure = await rejected;
    expect(failure.ok).toBe(false);
    if (!failure.ok)
      expect(failure.error.message).toContain("unknown role 'intern'");
    expect(authz.canCallRoute(as('seller'), 'POST', '/v1/chat').allowed).toBe(
      true,
    );
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models').allowed).toBe(
      false,
    );

    // Editors and ConfigMaps replace the file rather than write into it.
    const accepted = nextReload(authz, (event) => event.ok);
    const staged = join(dir, 'policy.csv.tmp');
    await writeFile(staged, `${MODELS}\n`);
    await rename(staged, path);
    await accepted;
    expect(authz.canCallRoute(as('seller'), 'POST', '/v1/chat').allowed).toBe(
      false,
    );
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models').allowed).toBe(
      true,
    );
  });

  it('refuses to watch a directory that does not exist', async () => {
    await cleanup();
    expect(() => authz.watch()).toThrow(/Cannot watch the policy file/);
  });
});
