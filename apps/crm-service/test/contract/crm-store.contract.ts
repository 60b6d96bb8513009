import { FieldwiseError } from '@fieldwise/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CrmStore,
  FieldUpdateCommand,
} from '../../src/adapters/store/port.js';
import type { AccessScope, GoldDataset } from '../../src/domain/model.js';
import { smallDataset } from '../helpers/fixtures.js';

/** Runs the CrmStore contract against a fresh, empty, migrated store from `makeStore`. */
export function runCrmStoreContract(
  name: string,
  makeStore: () => Promise<{ store: CrmStore; dispose: () => Promise<void> }>,
): void {
  describe(`CrmStore contract: ${name}`, () => {
    let store: CrmStore;
    let dispose: () => Promise<void>;
    let data: GoldDataset;
    const admin: AccessScope = {
      tenant: 'lumen',
      userId: 'usr-lumen-admin-01',
      territories: 'all',
    };
    const east: AccessScope = {
      tenant: 'lumen',
      userId: 'usr-lumen-seller-01',
      territories: ['amer-east'],
    };
    const north: AccessScope = {
      tenant: 'northstar',
      userId: 'usr-northstar-admin-01',
      territories: 'all',
    };

    beforeAll(async () => {
      ({ store, dispose } = await makeStore());
      data = smallDataset();
      await store.insertDataset(data);
    });
    afterAll(async () => {
      await dispose();
    });

    const eastOpportunity = () => {
      const accountIds = new Set(
        data.accounts
          .filter((a) => a.territoryId === 'amer-east')
          .map((a) => a.id),
      );
      const opp = data.opportunities.find((o) => accountIds.has(o.accountId));
      if (!opp) throw new Error('dataset has no amer-east opportunity');
      return opp;
    };
    const westOpportunity = () => {
      const accountIds = new Set(
        data.accounts
          .filter((a) => a.territoryId === 'amer-west')
          .map((a) => a.id),
      );
      const opp = data.opportunities.find((o) => accountIds.has(o.accountId));
      if (!opp) throw new Error('dataset has no amer-west opportunity');
      return opp;
    };
    const command = (
      id: string,
      value: string,
      expectedVersion: number,
    ): FieldUpdateCommand => ({
      entity: 'opportunity',
      id,
      field: 'nextStep',
      column: 'next_step',
      value,
      expectedVersion,
      actorId: 'usr-lumen-admin-01',
      at: '2026-11-25T12:00:00.000Z',
    });

    it('stores every row of the dataset per tenant', async () => {
      const counts = await store.countRows('lumen');
      const lumen = <T extends { tenantId: string }>(rows: readonly T[]) =>
        rows.filter((r) => r.tenantId === 'lumen').length;
      expect(counts['accounts']).toBe(lumen(data.accounts));
      expect(counts['opportunities']).toBe(lumen(data.opportunities));
      expect(counts['use_cases']).toBe(lumen(data.useCases));
      expect(counts['consumption_monthly']).toBe(lumen(data.consumption));
      expect(counts['support_cases']).toBe(lumen(data.supportCases));
    });

    it('reads records back exactly as written', async () => {
      const acme = data.accounts.find((a) => a.name === 'Acme Corporation');
      expect(await store.getAccount(admin, acme?.id ?? '')).toEqual(acme);
      const useCase = data.useCases.find((u) => u.tenantId === 'lumen');
      expect(await store.getUseCase(admin, useCase?.id ?? '')).toEqual(useCase);
      const user = await store.findUser('lumen', 'usr-lumen-manager-02');
      expect(user?.territories).toEqual(['amer-canada', 'amer-central']);
      expect(
        (await store.listUsers('lumen', 'usr-lumen-manager-02')).map(
          (u) => u.id,
        ),
      ).toHaveLength(10);
    });

    it('filters every read by tenant and territory in the query', async () => {
      const eastIds = (await store.listAccountIndex(east)).map(
        (a) => a.territoryId,
      );
      expect(eastIds.length).toBeGreaterThan(0);
      expect(new Set(eastIds)).toEqual(new Set(['amer-east']));
      const west = data.accounts.find(
        (a) => a.territoryId === 'amer-west' && a.tenantId === 'lumen',
      );
      expect(await store.getAccount(east, west?.id ?? '')).toBeUndefined();
      expect(await store.listContacts(east, west?.id ?? '')).toEqual([]);
      expect(
        await store.listConsumption(east, { accountId: west?.id ?? '' }),
      ).toEqual([]);
      // Northstar reuses the territory id amer-east; its seller still sees none of lumen's.
      const northIds = await store.listAccountIndex({
        tenant: 'northstar',
        userId: 'x',
        territories: ['amer-east'],
      });
      expect(northIds.every((a) => a.id.startsWith('acc-northstar-'))).toBe(
        true,
      );
      expect(await store.getAccount(north, west?.id ?? '')).toBeUndefined();
      expect(
        await store.listAccountIndex({
          tenant: 'lumen',
          userId: 'x',
          territories: [],
        }),
      ).toEqual([]);
    });

    it('filters opportunities, use cases and support cases', async () => {
      const open = await store.listOpportunities(admin, { openOnly: true });
      expect(
        open.every(
          (o) => o.stage !== 'Closed Won' && o.stage !== 'Closed Lost',
        ),
      ).toBe(true);
      const late = await store.listOpportunities(admin, {
        openOnly: true,
        closeDateBefore: '2026-11-25',
      });
      expect(late.every((o) => (o.closeDate ?? '') < '2026-11-25')).toBe(true);
      const live = await store.listUseCases(admin, { live: true });
      expect(live.length).toBeGreaterThan(0);
      expect(live.every((u) => u.isLive)).toBe(true);
      const openCases = await store.listSupportCases(admin, { openOnly: true });
      expect(openCases.every((c) => c.status !== 'Closed')).toBe(true);
    });

    it('sums consumption in SQL the same as the rows add up', async () => {
      const totals = await store.consumptionTotals(admin, '2025-11', '2026-10');
      const rows = await store.listConsumption(admin, {
        fromMonth: '2025-11',
        toMonth: '2026-10',
      });
      const first = totals[0];
      expect(first).toBeDefined();
      const expected = rows
        .filter(
          (r) =>
            r.accountId === first?.accountId &&
            r.productLine === first.productLine,
        )
        .reduce((s, r) => s + r.amountUsd, 0);
      expect(first?.amountUsd).toBe(expected);
    });

    it('updates a field with a version bump and a history row', async () => {
      const opp = eastOpportunity();
      const result = await store.updateField(
        east,
        command(opp.id, 'Call the CFO', 1),
      );
      expect(result.replayed).toBe(false);
      expect(result.change).toMatchObject({
        before: opp.nextStep,
        after: 'Call the CFO',
        version: 2,
      });
      expect((await store.getOpportunity(east, opp.id))?.version).toBe(2);
      const history = await store.listFieldHistory(east, 'opportunity', opp.id);
      expect(history.map((h) => [h.field, h.newValue, h.version])).toEqual([
        ['nextStep', 'Call the CFO', 2],
      ]);
    });

    it('rejects a stale version with CONFLICT and the current value', async () => {
      const opp = eastOpportunity();
      const error = await store
        .updateField(east, command(opp.id, 'stale', 1))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FieldwiseError);
      expect((error as FieldwiseError).code).toBe('CONFLICT');
      expect((error as FieldwiseError).context).toMatchObject({
        currentVersion: 2,
        currentValue: 'Call the CFO',
      });
    });

    it('lets exactly one of two concurrent updates win', async () => {
      const opp = westOpportunity();
      const results = await Promise.allSettled([
        store.updateField(admin, command(opp.id, 'first', 1)),
        store.updateField(admin, command(opp.id, 'second', 1)),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect((rejected?.reason as FieldwiseError).code).toBe('CONFLICT');
      expect((await store.getOpportunity(admin, opp.id))?.version).toBe(2);
      expect(
        await store.listFieldHistory(admin, 'opportunity', opp.id),
      ).toHaveLength(1);
    });

    it('replays an idempotent update without changing anything', async () => {
      const opp = data.opportunities.filter((o) => o.tenantId === 'lumen')[5];
      if (!opp) throw new Error('no opportunity');
      const idem = { key: 'idem-key-0001', requestHash: 'h1' };
      const first = await store.updateField(admin, {
        ...command(opp.id, 'once', 1),
        idempotency: idem,
      });
      const again = await store.updateField(admin, {
        ...command(opp.id, 'once', 1),
        idempotency: idem,
      });
      expect(again).toEqual({ change: first.change, replayed: true });
      expect((await store.getOpportunity(admin, opp.id))?.version).toBe(2);
      expect(
        await store.listFieldHistory(admin, 'opportunity', opp.id),
      ).toHaveLength(1);
      const misuse = await store
        .updateField(admin, {
          ...command(opp.id, 'other', 2),
          idempotency: { key: 'idem-key-0001', requestHash: 'h2' },
        })
        .catch((e: unknown) => e);
      expect((misuse as FieldwiseError).code).toBe('CONFLICT');
    });

    it('runs the change hook inside the transaction', async () => {
      const opp = data.opportunities.filter((o) => o.tenantId === 'lumen')[7];
      if (!opp) throw new Error('no opportunity');
      const failing = await store
        .updateField(admin, command(opp.id, 'never', 1), () => {
          throw new Error('outbox down');
        })
        .catch((e: unknown) => e);
      expect((failing as Error).message).toBe('outbox down');
      expect((await store.getOpportunity(admin, opp.id))?.version).toBe(1);
      expect(
        await store.listFieldHistory(admin, 'opportunity', opp.id),
      ).toEqual([]);
      const seen: string[] = [];
      await store.updateField(admin, command(opp.id, 'ok', 1), (change) => {
        seen.push(`${change.id}@${change.version}`);
      });
      expect(seen).toEqual([`${opp.id}@2`]);
    });

    it('denies out-of-scope writes and reports missing records', async () => {
      const opp = westOpportunity();
      const denied = await store
        .updateField(east, command(opp.id, 'x', 2))
        .catch((e: unknown) => e);
      expect((denied as FieldwiseError).code).toBe('PERMISSION_DENIED');
      const missing = await store
        .updateField(east, command('opp-lumen-99999', 'x', 1))
        .catch((e: unknown) => e);
      expect((missing as FieldwiseError).code).toBe('NOT_FOUND');
      const otherTenant = await store
        .updateField(north, command(opp.id, 'x', 2))
        .catch((e: unknown) => e);
      expect((otherTenant as FieldwiseError).code).toBe('NOT_FOUND');
    });

    it('stores drafts idempotently and only for writable accounts', async () => {
      const acme = data.accounts.find((a) => a.name === 'Acme Corporation');
      if (!acme) throw new Error('no Acme');
      const draft = {
        id: 'draft-1',
        tenantId: 'lumen',
        accountId: acme.id,
        contactId: null,
        authorId: 'usr-lumen-seller-01',
        kind: 'follow-up',
        subject: 's',
        body: 'b',
        createdAt: '2026-11-25T12:00:00.000Z',
      };
      const idem = { key: 'draft-key-01', requestHash: 'd' };
      const first = await store.insertEmailDraft(east, draft, idem);
      const replay = await store.insertEmailDraft(
        east,
        { ...draft, id: 'draft-2' },
        idem,
      );
      expect(first.replayed).toBe(false);
      expect(replay).toEqual({ record: draft, replayed: true });
      expect((await store.countRows('lumen'))['email_drafts']).toBe(1);
      const west = data.accounts.find((a) => a.territoryId === 'amer-west');
      const denied = await store
        .insertEmailDraft(east, {
          ...draft,
          id: 'draft-3',
          accountId: west?.id ?? '',
        })
        .catch((e: unknown) => e);
      expect((denied as FieldwiseError).code).toBe('PERMISSION_DENIED');
    });

    it('upserts imported accounts and opportunities by id', async () => {
      const base = data.accounts.find((a) => a.tenantId === 'lumen');
      if (!base) throw new Error('no account');
      const account = {
        ...base,
        id: 'acc-lumen-sf-x1',
        name: 'Imported One',
        domain: 'imported-one.com',
        sourceRef: 'salesforce:X1',
      };
      await store.upsertImport({ accounts: [account], opportunities: [] });
      await store.upsertImport({
        accounts: [{ ...account, name: 'Imported One Renamed' }],
        opportunities: [],
      });
      expect((await store.getAccount(admin, account.id))?.name).toBe(
        'Imported One Renamed',
      );
    });
  });
}
