import pg from 'pg';
import type { ApiKeyRecord, ApiKeyStore } from './port.js';

interface Row {
  id: string;
  account: string;
  tenant: string;
  roles: string[];
  territories: string[];
  routes: string[];
  hash: string;
  description: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

function fromRow(row: Row): ApiKeyRecord {
  return {
    id: row.id,
    account: row.account,
    tenant: row.tenant,
    roles: row.roles,
    territories: row.territories,
    routes: row.routes,
    hash: row.hash,
    description: row.description,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** Options of {@link PostgresApiKeyStore.open}. */
export interface PostgresApiKeyStoreOptions {
  readonly connectionString: string;
  /** Schema holding the table (created if missing); tests use one per run. */
  readonly schema?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * API keys in PostgreSQL (`DATABASE_URL`), shared by every gateway replica so
 * a revocation reaches all of them.
 */
export class PostgresApiKeyStore implements ApiKeyStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
  ) {}

  /** Connects and creates the schema and table when missing. */
  static async open(
    options: PostgresApiKeyStoreOptions,
  ): Promise<PostgresApiKeyStore> {
    const schema = options.schema ?? 'public';
    if (!IDENTIFIER.test(schema)) {
      throw new Error(`invalid schema name '${schema}'`);
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
    });
    const table = `"${schema}".api_keys`;
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await pool.query(`
        CREATE TABLE IF NOT EXISTS ${table} (
          id TEXT PRIMARY KEY,
          account TEXT NOT NULL,
          tenant TEXT NOT NULL,
          roles JSONB NOT NULL,
          territories JSONB NOT NULL,
          routes JSONB NOT NULL,
          hash TEXT NOT NULL,
          description TEXT NOT NULL,
          created_at TIMESTAMPTZ NOT NULL,
          expires_at TIMESTAMPTZ NOT NULL,
          revoked_at TIMESTAMPTZ
        )`);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresApiKeyStore(pool, table);
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (id, account, tenant, roles, territories,
         routes, hash, description, created_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        record.id,
        record.account,
        record.tenant,
        JSON.stringify(record.roles),
        JSON.stringify(record.territories),
        JSON.stringify(record.routes),
        record.hash,
        record.description,
        record.createdAt,
        record.expiresAt,
        record.revokedAt,
      ],
    );
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.pool.query<Row>(
      `SELECT * FROM ${this.table} WHERE id = $1`,
      [id],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  async list(
    filter: { readonly tenant?: string } = {},
  ): Promise<ApiKeyRecord[]> {
    const result =
      filter.tenant === undefined
        ? await this.pool.query<Row>(
            `SELECT * FROM ${this.table} ORDER BY created_at, id`,
          )
        : await this.pool.query<Row>(
            `SELECT * FROM ${this.table} WHERE tenant = $1 ORDER BY created_at, id`,
            [filter.tenant],
          );
    return result.rows.map(fromRow);
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE ${this.table} SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`,
      [at, id],
    );
    return result.rowCount === 1;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
