import { join } from 'node:path';
import type { ApiKeyStore } from './port.js';
import { PostgresApiKeyStore } from './postgres-store.js';
import { SqliteApiKeyStore } from './sqlite-store.js';

/** Where the embedded store keeps its file. */
export function apiKeysSqlitePath(dataDir: string): string {
  return join(dataDir, 'gateway', 'api-keys.sqlite');
}

/**
 * The API key store chosen by configuration: PostgreSQL when `databaseUrl`
 * is set, else a SQLite file under the gateway data dir.
 */
export async function openApiKeyStore(options: {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly schema?: string;
}): Promise<{ store: ApiKeyStore; adapter: 'postgres' | 'sqlite' }> {
  if (options.databaseUrl) {
    return {
      store: await PostgresApiKeyStore.open({
        connectionString: options.databaseUrl,
        ...(options.schema !== undefined ? { schema: options.schema } : {}),
      }),
      adapter: 'postgres',
    };
  }
  return {
    store: new SqliteApiKeyStore(apiKeysSqlitePath(options.dataDir)),
    adapter: 'sqlite',
  };
}
