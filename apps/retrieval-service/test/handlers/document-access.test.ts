import {
  createAuthorizer,
  DEFAULT_POLICY_PATH,
  ROLES,
  type Authorizer,
} from '@fieldwise/authz';
import type { Principal } from '@fieldwise/principal';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { visibleClassesForRoles } from '../../src/domain/index.js';
import {
  createDocumentAccess,
  type DocumentAccess,
} from '../../src/handlers/document-access.js';

function principal(roles: readonly string[]): Principal {
  return {
    userId: 'u-1',
    tenant: 'lumen',
    // Service roles are not principal roles; authz ignores what it does not know.
    roles: roles as Principal['roles'],
    territories: ['amer-east'],
  };
}

describe('document access from the shipped authz policy', () => {
  let authorizer: Authorizer;
  let access: DocumentAccess;

  beforeAll(async () => {
    authorizer = await createAuthorizer({
      policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
      logger: pino({ level: 'silent' }),
    });
    access = createDocumentAccess(authorizer);
  });

  // The domain's mapping mirrors data/collateral/README.md; the policy is what the service enforces.
  it.each(ROLES)(
    'authz and the domain mapping agree on the classes of %s',
    (role) => {
      const fromPolicy = [...access.scopeFor(principal([role])).visibleClasses];
      expect(fromPolicy.sort()).toEqual(visibleClassesForRoles([role]).sort());
    },
  );

  it('a principal holding several roles reads the union, minus what a deny removes', () => {
    const classes = (roles: string[]) =>
      [...access.scopeFor(principal(roles)).visibleClasses].sort();
    expect(classes(['manager', 'content-manager'])).toEqual(
      ['confidential', 'internal', 'partner', 'public'].sort(),
    );
    // Deny lines win across roles: whoever holds the partner role never reads internal collateral.
    expect(classes(['partner', 'seller'])).toEqual(['partner', 'public']);
    // Auditors never read collateral, whatever other role they hold (segregation of duties).
    expect(classes(['auditor', 'manager'])).toEqual([]);
  });

  it.each(ROLES)(
    'ingest and delete follow the policy routes for %s',
    (role) => {
      const p = principal([role]);
      for (const [action, method, path] of [
        ['ingest', 'POST', '/v1/documents'],
        ['delete', 'DELETE', '/v1/documents/any-id'],
      ] as const) {
        const allowed = authorizer.canCallRoute(p, method, path).allowed;
        if (allowed) expect(() => access.assertMay(p, action)).not.toThrow();
        else
          expect(() => access.assertMay(p, action)).toThrow(
            expect.objectContaining({ code: 'PERMISSION_DENIED' }),
          );
      }
      expect(
        (() => {
          try {
            access.assertMay(p, 'ingest');
            return true;
          } catch {
            return false;
          }
        })(),
      ).toBe(role === 'content-manager');
    },
  );

  it('readersOf lists the human roles that may read a class', () => {
    expect(access.readersOf('lumen', 'confidential')).toEqual([
      'manager',
      'admin',
    ]);
    expect(access.readersOf('lumen', 'public')).toContain('partner');
    expect(access.readersOf('lumen', 'public')).not.toContain('auditor');
  });
});
