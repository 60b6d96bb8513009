import { FieldwiseError } from '@fieldwise/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteCrmStore } from '../../../../src/adapters/store/sqlite-crm-store.js';
import { account360 } from '../../../../src/domain/functions/account-360.js';
import type { CrmDeps } from '../../../../src/domain/functions/deps.js';
import { findAccounts } from '../../../../src/domain/functions/find-accounts.js';
import { hygieneAlerts } from '../../../../src/domain/functions/hygiene-alerts.js';
import { updateField } from '../../../../src/domain/functions/update-field.js';
import type { GoldDataset } from '../../../../src/domain/model.js';
import {
  callers,
  depsFor,
  seededSqlite,
  smallDataset,
} from '../../../helpers/fixtures.js';

type CallerName = keyof typeof callers;

/** Territories each caller may see; null = no customer data at all. */
const EXPECTED: Record<
  CallerName,
  { tenant: string; territories: readonly string[] | 'all' } | null
> = {
  seller01: { tenant: 'lumen', territories: ['amer-east'] },
  seller06: { tenant: 'lumen', territories: ['amer-central'] },
  manager01: { tenant: 'lumen', territories: ['amer-east'] },
  manager02: { tenant: 'lumen', territories: ['amer-central', 'amer-canada'] },
  admin: { tenant: 'lumen', territories: 'all' },
  auditor: null,
  content: null,
  northSeller: { tenant: 'northstar', territories: ['amer-east'] },
  northAdmin: { tenant: 'northstar', territories: 'all' },
};

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof FieldwiseError
      ? error.code
      : `UNTYPED ${String(error)}`;
  }
}

describe('row-level access', () => {
  let store: SqliteCrmStore;
  let deps: CrmDeps;
  let data: GoldDataset;

  beforeAll(async () => {
    data = smallDataset();
    store = await seededSqlite(data);
    deps = depsFor(store);
  });
  afterAll(async () => {
    await store.close();
  });

  const visible = (name: CallerName) => {
    const rule = EXPECTED[name];
    if (!rule) return [];
    return data.accounts.filter(
      (a) =>
        a.tenantId === rule.tenant &&
        (rule.territories === 'all' ||
          rule.territories.includes(a.territoryId)),
    );
  };

  describe.each(Object.keys(callers) as CallerName[])('%s', (name) => {
    const caller = callers[name];

    it('lists exactly the accounts of its scope', async () => {
      if (EXPECTED[name] === null) {
        expect(await code(findAccounts(deps, caller, {}))).toBe(
          'PERMISSION_DENIED',
        );
        return;
      }
      const result = await findAccounts(deps, caller, { limit: 100 });
      expect(result.items.map((i) => i.id).sort()).toEqual(
        visible(name)
          .map((a) => a.id)
          .sort(),
      );
    });

    it('reads in scope, and sees out-of-scope or other-tenant records as missing', async () => {
      const inScope = visible(name)[0];
      const outOfScope = data.accounts.find((a) => !visible(name).includes(a));
      if (EXPECTED[name] === null) {
        expect(
          await code(
            account360(deps, caller, { accountId: data.accounts[0]?.id ?? '' }),
          ),
        ).toBe('PERMISSION_DENIED');
        return;
      }
      expect(
        await code(account360(deps, caller, { accountId: inScope?.id ?? '' })),
      ).toBe('OK');
      expect(
        await code(
          account360(deps, caller, { accountId: outOfScope?.id ?? '' }),
        ),
      ).toBe('NOT_FOUND');
      expect(
        await code(account360(deps, caller, { accountId: 'acc-lumen-9999' })),
      ).toBe('NOT_FOUND');
    });

    it('writes in scope; out-of-scope writes are PERMISSION_DENIED, other tenants NOT_FOUND', async () => {
      const rule = EXPECTED[name];
      const visibleIds = new Set(visible(name).map((a) => a.id));
      const mine = data.opportunities.find(
        (o) => visibleIds.has(o.accountId) && o.version === 1,
      );
      const foreign = data.opportunities.find(
        (o) =>
          !visibleIds.has(o.accountId) &&
          o.tenantId === (rule?.tenant ?? 'lumen'),
      );
      const otherTenant = data.opportunities.find(
        (o) => o.tenantId !== (rule?.tenant ?? 'lumen'),
      );
      const write = (id: string) =>
        code(
          updateField(deps, caller, {
            entity: 'opportunity',
            id,
            field: 'nextStep',
            value: `by ${name}`,
            expectedVersion: 99,
          }),
        );
      if (rule === null) {
        expect(await write(data.opportunities[0]?.id ?? '')).toBe(
          'PERMISSION_DENIED',
        );
        return;
      }
      // A stale version proves the write reached the record (CONFLICT) without changing it.
      expect(await write(mine?.id ?? '')).toBe('CONFLICT');
      if (foreign) expect(await write(foreign.id)).toBe('PERMISSION_DENIED');
      expect(await write(otherTenant?.id ?? '')).toBe('NOT_FOUND');
    });

    it('computes hygiene only over its scope', async () => {
      if (EXPECTED[name] === null) {
        expect(await code(hygieneAlerts(deps, caller, {}))).toBe(
          'PERMISSION_DENIED',
        );
        return;
      }
      const alerts = await hygieneAlerts(deps, caller, { limit: 500 });
      const ids = new Set(visible(name).map((a) => a.id));
      expect(
        alerts.pastCloseDates.items.every((o) => ids.has(o.accountId)),
      ).toBe(true);
      expect(
        alerts.missingExecutiveSponsor.items.every((u) => ids.has(u.accountId)),
      ).toBe(true);
    });
  });

  it('denies a principal whose role the users table does not grant', async () => {
    const forged = { ...callers.seller01, roles: ['admin'] };
    expect(await code(findAccounts(deps, forged, {}))).toBe(
      'PERMISSION_DENIED',
    );
    const stranger = { ...callers.admin, userId: 'usr-nobody' };
    expect(await code(findAccounts(deps, stranger, {}))).toBe(
      'PERMISSION_DENIED',
    );
    const crossTenant = { ...callers.northAdmin, tenant: 'lumen' };
    expect(await code(findAccounts(deps, crossTenant, {}))).toBe(
      'PERMISSION_DENIED',
    );
  });
});
