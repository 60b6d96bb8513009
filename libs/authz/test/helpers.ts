import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type {
  Authorizer,
  AuthzPrincipal,
  ReloadEvent,
  Role,
} from '../src/index.js';

/** A logger that prints nothing (the console guard fails tests that print). */
export const silent: Logger = pino({ level: 'silent' });

/** Territories the matrix principals carry. */
export const OWN_TERRITORIES = ['amer-east', 'amer-west'];

/** A principal of one role in one tenant. */
export function principal(
  roles: readonly string[],
  overrides: Partial<AuthzPrincipal> = {},
): AuthzPrincipal {
  return {
    userId: `user-${roles.join('+') || 'none'}`,
    roles,
    tenant: 'lumen',
    territories: OWN_TERRITORIES,
    ...overrides,
  };
}

/** A principal holding exactly `role`. */
export function as(role: Role, tenant = 'lumen'): AuthzPrincipal {
  return principal([role], { tenant });
}

/** Turns a keyMatch2 route pattern into a concrete request path. */
export function samplePath(pattern: string): string {
  return pattern.replace(/:[a-zA-Z]+/g, 'id-123').replace(/\*$/, 'runs');
}

/** Resolves with the first reload event matching `predicate`. */
export function nextReload(
  authorizer: Authorizer,
  predicate: (event: ReloadEvent) => boolean = () => true,
): Promise<ReloadEvent> {
  return new Promise((resolve) => {
    const off = authorizer.onReload((event) => {
      if (!predicate(event)) return;
      off();
      resolve(event);
    });
  });
}

/** A fresh temporary directory and its cleanup. */
export async function tempDir(): Promise<{
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'fieldwise-authz-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
