import { parseArgs } from 'node:util';
import { parseDuration } from '@fieldwise/config';
import { createApiKey } from '../api-keys/api-keys.js';
import type { ApiKeyRecord, ApiKeyStore } from '../api-keys/port.js';

/** Where the `apikey` CLI writes: the key to stdout, everything else to stderr. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Usage of `npm run apikey -- …`. */
export const APIKEY_USAGE = `usage:
  npm run apikey -- create --account ID --tenant T --role R [--role R2]
                          [--route "METHOD /v1/path"]... [--territories a,b]
                          [--ttl 90d] [--description TEXT]
  npm run apikey -- list [--tenant T] [--json]
  npm run apikey -- revoke KEY_ID
roles: seller manager admin auditor content-manager partner service:eval service:agent`;

function status(record: ApiKeyRecord, now: number): string {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}

/** Everything about a key except its hash. */
function view(record: ApiKeyRecord, now: number): Record<string, unknown> {
  return {
    id: record.id,
    account: record.account,
    tenant: record.tenant,
    roles: record.roles,
    territories: record.territories,
    routes: record.routes,
    description: record.description,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    revokedAt: record.revokedAt?.toISOString() ?? null,
    status: status(record, now),
  };
}

/**
 * Runs one `apikey` command against a store; returns the exit code. The
 * clear key is printed once, on stdout, by `create`; nothing else ever
 * prints it or its hash.
 */
export async function runApiKeyCommand(
  argv: readonly string[],
  store: ApiKeyStore,
  output: CliOutput,
  now: () => Date = () => new Date(),
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'create') {
    const { values } = parseArgs({
      args: [...rest],
      options: {
        account: { type: 'string' },
        tenant: { type: 'string' },
        role: { type: 'string', multiple: true },
        route: { type: 'string', multiple: true },
        territories: { type: 'string' },
        ttl: { type: 'string', default: '90d' },
        description: { type: 'string', default: '' },
      },
    });
    const ttlMs = parseDuration(values.ttl);
    if (ttlMs === undefined || ttlMs <= 0) {
      output.err(`--ttl must be a duration such as 30d or 12h`);
      return 2;
    }
    const { key, record } = await createApiKey(
      store,
      {
        account: values.account ?? '',
        tenant: values.tenant ?? '',
        roles: values.role ?? [],
        territories: (values.territories ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        routes: values.route ?? [],
        description: values.description,
        ttlMs,
      },
      now(),
    );
    output.err(
      `api key ${record.id} for ${record.account} (tenant ${record.tenant}, roles ${record.roles.join(',')}${record.routes.length > 0 ? `, routes ${record.routes.join('; ')}` : ''}), expires ${record.expiresAt.toISOString()}; it is shown once, store it now`,
    );
    output.out(key);
    return 0;
  }
  if (command === 'list') {
    const { values } = parseArgs({
      args: [...rest],
      options: {
        tenant: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const at = now().getTime();
    const records = await store.list(
      values.tenant !== undefined ? { tenant: values.tenant } : {},
    );
    if (values.json) {
      output.out(JSON.stringify(records.map((r) => view(r, at))));
      return 0;
    }
    for (const r of records) {
      output.out(
        `${r.id}  ${status(r, at).padEnd(7)}  ${r.tenant}  ${r.account}  ${r.roles.join(',')}  expires ${r.expiresAt.toISOString()}${r.routes.length > 0 ? `  routes ${r.routes.join('; ')}` : ''}`,
      );
    }
    if (records.length === 0) output.err('no api keys');
    return 0;
  }
  if (command === 'revoke') {
    const id = rest[0];
    if (!id || rest.length !== 1) {
      output.err(APIKEY_USAGE);
      return 2;
    }
    const revoked = await store.revoke(id, now());
    if (!revoked) {
      output.err(`no active api key ${id}`);
      return 1;
    }
    output.err(`api key ${id} revoked`);
    return 0;
  }
  output.err(APIKEY_USAGE);
  return 2;
}
