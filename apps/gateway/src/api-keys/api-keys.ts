import { z } from 'zod';
import { AuthenticationError, ValidationError } from '@fieldwise/errors';
import {
  PRINCIPAL_ROLES,
  SERVICE_ACTOR_ROLES,
  type Principal,
  type PrincipalRole,
} from '@fieldwise/principal';
import { apiKeyId, apiKeyMatches, generateApiKey } from './api-key.js';
import type { ApiKeyRecord, ApiKeyStore } from './port.js';

/** A service role an API key may hold (`service:eval`, `service:agent`). */
export type ServiceRole = (typeof SERVICE_ACTOR_ROLES)[number];

const KEY_ROLES: readonly string[] = [
  ...PRINCIPAL_ROLES,
  ...SERVICE_ACTOR_ROLES,
];

const ROUTE_SCOPE =
  /^(?:\*|GET|POST|PUT|PATCH|DELETE) \/v1\/[A-Za-z0-9/:._*-]*$/;

/** What `createApiKey` needs; validated (the CLI passes user input). */
export const newApiKeySchema = z.object({
  account: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a lower-case service account id'),
  tenant: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a lower-case tenant id'),
  roles: z
    .array(
      z.string().refine((role) => KEY_ROLES.includes(role), {
        message: `a role: one of ${[...PRINCIPAL_ROLES, ...SERVICE_ACTOR_ROLES].join(', ')}`,
      }),
    )
    .min(1)
    .max(8),
  territories: z.array(z.string().min(1).max(64)).max(64).default([]),
  routes: z
    .array(
      z
        .string()
        .regex(ROUTE_SCOPE, 'METHOD /v1/path, e.g. "POST /v1/evals/runs"'),
    )
    .max(64)
    .default([]),
  description: z.string().max(256).default(''),
  /** Lifetime in milliseconds; keys always expire (at most 400 days). */
  ttlMs: z
    .number()
    .int()
    .positive()
    .max(400 * 24 * 3600 * 1000),
});

/** Input of {@link createApiKey}. */
export type NewApiKey = z.input<typeof newApiKeySchema>;

/**
 * Creates a key: stores its hash and scope, returns the clear key once.
 * Throws `VALIDATION_FAILED` for a bad scope.
 */
export async function createApiKey(
  store: ApiKeyStore,
  input: NewApiKey,
  now: Date = new Date(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  const parsed = newApiKeySchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({
        field: issue.path.join('.') || 'key',
        message: issue.message,
      })),
    );
  }
  const spec = parsed.data;
  const generated = generateApiKey();
  const record: ApiKeyRecord = {
    id: generated.id,
    account: spec.account,
    tenant: spec.tenant,
    roles: [...new Set(spec.roles)],
    territories: spec.territories,
    routes: spec.routes,
    hash: generated.hash,
    description: spec.description,
    createdAt: now,
    expiresAt: new Date(now.getTime() + spec.ttlMs),
    revokedAt: null,
  };
  await store.insert(record);
  return { key: generated.key, record };
}

/** An authenticated API key: who it acts as and what it is limited to. */
export interface ApiKeyIdentity {
  readonly keyId: string;
  /** The principal passed on to services: the account's human roles only. */
  readonly principal: Principal;
  /** Service roles of the key (enforced by the gateway's policy, never forwarded as roles). */
  readonly serviceRoles: readonly ServiceRole[];
  /** Route scopes; empty means every route the roles allow. */
  readonly routes: readonly string[];
}

function isPrincipalRole(role: string): role is PrincipalRole {
  return (PRINCIPAL_ROLES as readonly string[]).includes(role);
}

function isServiceRole(role: string): role is ServiceRole {
  return (SERVICE_ACTOR_ROLES as readonly string[]).includes(role);
}

/** The identity a valid, live key record stands for. */
export function identityOf(record: ApiKeyRecord): ApiKeyIdentity {
  const principal: Principal = Object.freeze({
    userId: record.account,
    tenant: record.tenant,
    roles: Object.freeze(
      record.roles.filter(isPrincipalRole),
    ) as PrincipalRole[],
    territories: Object.freeze([...record.territories]) as string[],
  });
  return Object.freeze({
    keyId: record.id,
    principal,
    serviceRoles: Object.freeze(record.roles.filter(isServiceRole)),
    routes: Object.freeze([...record.routes]),
  });
}

/**
 * Checks a presented key against its record: unknown or mismatching keys are
 * `AUTH_INVALID`, revoked ones `AUTH_REVOKED`, expired ones `AUTH_EXPIRED`.
 * The hash comparison is constant-time; errors never echo the key.
 */
export function checkApiKey(
  key: string,
  record: ApiKeyRecord | undefined,
  now: number,
): ApiKeyIdentity {
  if (!record || !apiKeyMatches(key, record.hash)) {
    throw new AuthenticationError('AUTH_INVALID', 'The API key is not valid');
  }
  if (record.revokedAt !== null && record.revokedAt.getTime() <= now) {
    throw new AuthenticationError(
      'AUTH_REVOKED',
      'The API key has been revoked',
      { context: { keyId: record.id } },
    );
  }
  if (record.expiresAt.getTime() <= now) {
    throw new AuthenticationError('AUTH_EXPIRED', 'The API key has expired', {
      context: { keyId: record.id },
    });
  }
  return identityOf(record);
}

/** Options of {@link createApiKeyVerifier}. */
export interface ApiKeyVerifierOptions {
  /**
   * How long a looked-up record is reused before the store is asked again:
   * the longest a revocation made elsewhere (the CLI, another replica) takes
   * to reach this gateway. 0 asks the store on every request.
   */
  readonly cacheMs: number;
  readonly now?: () => number;
}

/** Most key records kept; the cache starts over when it is full. */
const RECORD_CACHE_SIZE = 10_000;

/**
 * Verifies `ApiKey`/`X-API-Key` credentials against the store: one lookup by
 * the key's public id (O(1)), then a constant-time hash comparison. Revoked
 * and expired keys fail whatever the cache holds: expiry is checked on every
 * call and a cached record is at most `cacheMs` old.
 */
export function createApiKeyVerifier(
  store: ApiKeyStore,
  options: ApiKeyVerifierOptions,
): (key: string) => Promise<ApiKeyIdentity> {
  const now = options.now ?? Date.now;
  const cache = new Map<
    string,
    { record: ApiKeyRecord | undefined; until: number }
  >();
  return async (key) => {
    const id = apiKeyId(key);
    if (id === undefined) {
      throw new AuthenticationError('AUTH_INVALID', 'The API key is not valid');
    }
    const at = now();
    let entry = options.cacheMs > 0 ? cache.get(id) : undefined;
    if (!entry || entry.until <= at) {
      const record = await store.get(id);
      entry = { record, until: at + options.cacheMs };
      if (options.cacheMs > 0) {
        if (cache.size >= RECORD_CACHE_SIZE) cache.clear();
        cache.set(id, entry);
      }
    }
    return checkApiKey(key, entry.record, at);
  };
}

/**
 * Whether a key's route scopes let it call `method path` (the policy's route
 * pattern). No scopes: yes (the policy alone decides).
 */
export function routeInScope(
  routes: readonly string[],
  method: string,
  path: string,
): boolean {
  if (routes.length === 0) return true;
  return routes.some((scope) => {
    const space = scope.indexOf(' ');
    const scopeMethod = scope.slice(0, space);
    const scopePath = scope.slice(space + 1);
    if (scopeMethod !== '*' && scopeMethod !== method) return false;
    return scopePath.endsWith('*')
      ? path.startsWith(scopePath.slice(0, -1))
      : path === scopePath;
  });
}
