import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ApiKeyRecord, ApiKeyStore } from './port.js';

interface Row {
  id: string;
  account: string;
  tenant: string;
  roles: string;
  territories: string;
  routes: string;
  hash: string;
  description: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  tenant TEXT NOT NULL,
  roles TEXT NOT NULL,
  territories TEXT NOT NULL,
  routes TEXT NOT NULL,
  hash TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant, created_at);
`;

// better-sqlite3 is synchronous; errors become rejections like the async stores'.
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

function fromRow(row: Row): ApiKeyRecord {
  return {
    id: row.id,
    account: row.account,
    tenant: row.tenant,
    roles: JSON.parse(row.roles) as string[],
    territories: JSON.parse(row.territories) as string[],
    routes: JSON.parse(row.routes) as string[],
    hash: row.hash,
    description: row.description,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

/**
 * API keys in a SQLite file (the embedded default, under the gateway data
 * dir). WAL mode, so the `apikey` CLI can revoke while the gateway reads.
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly db: Database.Database;
  private readonly byId: Database.Statement<[string], Row>;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.byId = this.db.prepare<[string], Row>(
      'SELECT * FROM api_keys WHERE id = ?',
    );
  }

  insert(record: ApiKeyRecord): Promise<void> {
    return settle(() => {
      this.db
        .prepare(
          `INSERT INTO api_keys (id, account, tenant, roles, territories, routes,
           hash, description, created_at, expires_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          record.id,
          record.account,
          record.tenant,
          JSON.stringify(record.roles),
          JSON.stringify(record.territories),
          JSON.stringify(record.routes),
          record.hash,
          record.description,
          record.createdAt.getTime(),
          record.expiresAt.getTime(),
          record.revokedAt?.getTime() ?? null,
        );
    });
  }

  get(id: string): Promise<ApiKeyRecord | undefined> {
    return settle(() => {
      const row = this.byId.get(id);
      return row ? fromRow(row) : undefined;
    });
  }

  list(filter: { readonly tenant?: string } = {}): Promise<ApiKeyRecord[]> {
    return settle(() => {
      const rows =
        filter.tenant === undefined
          ? this.db
              .prepare<[], Row>(
                'SELECT * FROM api_keys ORDER BY created_at, id',
              )
              .all()
          : this.db
              .prepare<[string], Row>(
                'SELECT * FROM api_keys WHERE tenant = ? ORDER BY created_at, id',
              )
              .all(filter.tenant);
      return rows.map(fromRow);
    });
  }

  revoke(id: string, at: Date): Promise<boolean> {
    return settle(() => {
      const result = this.db
        .prepare(
          'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
        )
        .run(at.getTime(), id);
      return result.changes === 1;
    });
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }
}
