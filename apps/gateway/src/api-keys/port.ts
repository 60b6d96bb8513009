/**
 * One service-account API key as stored: scope and lifecycle, and the hash
 * of the key (never the key itself).
 */
export interface ApiKeyRecord {
  /** Public id (the part of the key between the prefix and the secret). */
  readonly id: string;
  /** The service account the key authenticates as (the principal's userId). */
  readonly account: string;
  /** The only tenant the key acts in. */
  readonly tenant: string;
  /** Roles granted: principal roles (`admin`…) and/or service roles (`service:eval`). */
  readonly roles: readonly string[];
  /** Territories of the principal (row scope); usually empty for services. */
  readonly territories: readonly string[];
  /**
   * Route scopes `METHOD /v1/pattern` (`*` for any method; a trailing `*`
   * matches any rest of the path). Empty: every route the roles allow.
   */
  readonly routes: readonly string[];
  /** SHA-256 (hex) of the full key. */
  readonly hash: string;
  /** Free text for operators (what the key is for). */
  readonly description: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** Set once the key is revoked; a revoked key never works again. */
  readonly revokedAt: Date | null;
}

/**
 * Where API keys live. Implementations: {@link SqliteApiKeyStore} (a file
 * under the gateway data dir) and {@link PostgresApiKeyStore}
 * (`DATABASE_URL`). Both pass `runApiKeyStoreContract`.
 */
export interface ApiKeyStore {
  /** Stores a new key; rejects when the id is already taken. */
  insert(record: ApiKeyRecord): Promise<void>;
  /** The key with this id, revoked or not, or undefined. */
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Keys ordered by creation, optionally of one tenant. */
  list(filter?: { readonly tenant?: string }): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked at `at`; false when no such key (or already revoked). */
  revoke(id: string, at: Date): Promise<boolean>;
  close(): Promise<void>;
}
