import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuthorizer,
  createRedisPolicyWatcher,
  type Authorizer,
  type RedisPolicyWatcher,
} from '../src/index.js';
import { as, nextReload, silent, tempDir } from './helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CHAT = 'p, role:seller, *, /v1/chat, POST, allow';
const MODELS = 'p, role:seller, *, /v1/models, GET, allow';

describe('Redis policy watcher (real Redis)', () => {
  let path: string;
  let cleanup: () => Promise<void>;
  let channel: string;
  let replicas: Authorizer[];
  let watchers: RedisPolicyWatcher[];
  let raw: Redis;

  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    path = join(dir, 'policy.csv');
    await writeFile(path, `${CHAT}\n`);
    // A unique channel so parallel runs and other suites never interfere.
    channel = `fieldwise.test.policy.${randomUUID()}`;
    replicas = await Promise.all(
      [1, 2].map(() =>
        createAuthorizer({
          policySource: { kind: 'file', path },
          logger: silent,
        }),
      ),
    );
    watchers = await Promise.all(
      replicas.map((authorizer, i) =>
        createRedisPolicyWatcher({
          authorizer,
          url: REDIS_URL,
          channel,
          logger: silent,
          instanceId: `replica-${i}-${randomUUID()}`,
        }),
      ),
    );
    raw = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(watchers.map((w) => w.close()));
    raw.disconnect();
    await cleanup();
  });

  it('reloads every replica when one notifies', async () => {
    const reloaded = replicas.map((r) => nextReload(r));
    await writeFile(path, `${CHAT}\n${MODELS}\n`);
    await expect(watchers[0]!.notify()).resolves.toBe(2);
    await expect(Promise.all(reloaded)).resolves.toEqual([
      { ok: true, version: 2, lines: 2 },
      { ok: true, version: 2, lines: 2 },
    ]);
    for (const replica of replicas) {
      expect(
        replica.canCallRoute(as('seller'), 'GET', '/v1/models').allowed,
      ).toBe(true);
    }
  });

  it('keeps every replica on the previous policy after a bad change', async () => {
    const rejected = replicas.map((r) => nextReload(r));
    await writeFile(path, 'p, role:seller, *, /v1/chat, POST, maybe\n');
    await watchers[1]!.notify();
    const events = await Promise.all(rejected);
    expect(events.map((e) => e.ok)).toEqual([false, false]);
    for (const replica of replicas) {
      expect(replica.policyVersion).toBe(1);
      expect(
        replica.canCallRoute(as('seller'), 'POST', '/v1/chat').allowed,
      ).toBe(true);
    }
  });

  it('ignores malformed notifications', async () => {
    const seen: boolean[] = [];
    replicas[0]!.onReload((event) => seen.push(event.ok));
    const reloaded = nextReload(replicas[0]!);
    // Redis delivers a channel's messages in order: once the valid one has
    // caused a reload, the junk before it has been handled.
    await raw.publish(channel, 'not json');
    await raw.publish(
      channel,
      JSON.stringify({ type: 'something-else', origin: 'x' }),
    );
    await watchers[0]!.notify();
    await reloaded;
    expect(seen).toEqual([true]);
  });

  it('reloads after its subscription connection is lost and restored', async () => {
    const clients = (await raw.client('LIST')) as string;
    const ours = clients
      .split('\n')
      .filter(
        (line) =>
          /name=fieldwise-authz-replica-0-/.test(line) && /sub=1/.test(line),
      );
    expect(ours).toHaveLength(1);
    const id = /id=(\d+)/.exec(ours[0]!)?.[1];
    const reloaded = nextReload(replicas[0]!);
    await writeFile(path, `${MODELS}\n`);
    // Kill only this replica's subscriber: the notification it missed while
    // away is replaced by a reload on reconnect.
    await raw.client('KILL', 'ID', id!);
    await expect(reloaded).resolves.toMatchObject({ ok: true, version: 2 });
    expect(
      replicas[0]!.canCallRoute(as('seller'), 'GET', '/v1/models').allowed,
    ).toBe(true);
  });

  it('fails clearly when Redis is unreachable', async () => {
    await expect(
      createRedisPolicyWatcher({
        authorizer: replicas[0]!,
        url: 'redis://127.0.0.1:1',
        channel,
        logger: silent,
      }),
    ).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
