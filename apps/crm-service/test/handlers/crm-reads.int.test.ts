import {
  GetConsumptionRequest,
  OpportunityStage,
  SupportSeverity,
  UseCaseStage,
} from '@fieldwise/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, fullDataset } from '../helpers/fixtures.js';
import { outcome, startCrm, type CrmUnderTest } from './harness.js';

const ACME = 'acc-lumen-0001';
const usd = (amount: number) => ({
  currencyCode: 'USD',
  amountMicros: amount * 1_000_000,
});

describe('crm gRPC reads over the seeded GOLD dataset (SQLite)', () => {
  let crm: CrmUnderTest;

  beforeAll(async () => {
    crm = await startCrm(fullDataset());
  }, 60_000);
  afterAll(async () => {
    await crm?.stop();
  });

  it('GetAccount360 returns the seeded Acme facts', async () => {
    const view = await crm.client.getAccount360(
      { accountId: ACME },
      await crm.as(callers.seller01),
    );
    expect(view.profile?.summary).toMatchObject({
      id: ACME,
      name: 'Acme Corporation',
      territory: 'amer-east',
      region: 'AMER',
      ownerUserId: 'usr-lumen-seller-03',
      ownerName: 'Daniel Wagner',
    });
    expect(view.owner).toMatchObject({
      id: 'usr-lumen-seller-03',
      email: 'daniel.wagner@lumendata.com',
      role: 'seller',
    });
    expect(view.arr).toEqual(usd(1_597_488));
    expect(view.topUseCases[0]).toMatchObject({
      id: 'uc-lumen-00001',
      name: 'SaaS connectors to warehouse',
      productLine: 'connect',
      stage: UseCaseStage.IMPLEMENTATION,
      goLiveDate: '2026-12-09',
      annualRevenue: usd(79_880 * 12),
    });
    const connect = view.consumption.find(
      (s) => s.productLine === 'connect' && s.cloud === '',
    );
    expect(connect).toMatchObject({
      lastMonth: usd(112_407),
      momGrowth: 0.04,
      yoyGrowth: 1.099,
    });
    expect(
      view.consumption.filter((s) => s.productLine === '').map((s) => s.cloud),
    ).toEqual(['AWS']);
    expect(view.openCasesBySeverity).toEqual([
      { severity: SupportSeverity.SEV1, count: 0 },
      { severity: SupportSeverity.SEV2, count: 0 },
      { severity: SupportSeverity.SEV3, count: 2 },
      { severity: SupportSeverity.SEV4, count: 1 },
    ]);
    expect(
      view.openOpportunities.every(
        (o) =>
          o.stage !== OpportunityStage.CLOSED_WON &&
          o.stage !== OpportunityStage.CLOSED_LOST &&
          o.version >= 1,
      ),
    ).toBe(true);
    expect(view.asOf).toBe('2026-11-25');
  });

  it('GetConsumption gives the Lumen Connect series with MoM and YoY growth', async () => {
    const result = await crm.client.getConsumption(
      GetConsumptionRequest.fromPartial({
        accountId: ACME,
        fromMonth: '2026-09',
        productLines: ['connect'],
      }),
      await crm.as(callers.seller01),
    );
    expect(result.series).toHaveLength(1);
    expect(result.series[0]).toMatchObject({
      productLine: 'connect',
      cloud: 'AWS',
    });
    expect(result.series[0]?.months).toEqual([
      expect.objectContaining({ month: '2026-09', amount: usd(108_122) }),
      {
        month: '2026-10',
        amount: usd(112_407),
        momGrowth: 0.04,
        yoyGrowth: 1.099,
      },
    ]);
    expect(result.total.at(-1)).toMatchObject({
      month: '2026-10',
      amount: usd(112_407),
    });
    const all = await crm.client.getConsumption(
      GetConsumptionRequest.fromPartial({ accountId: ACME }),
      await crm.as(callers.seller01),
    );
    expect(all.total).toHaveLength(12);
    expect(all.total.at(-1)?.amount).toEqual(usd(133_124));
  });

  it.each(['acmee', 'acme corp', 'ACME', 'acme.com'])(
    'FindAccounts("%s") ranks Acme Corporation first',
    async (query) => {
      const result = await crm.client.findAccounts(
        {
          query,
          ownerUserId: '',
          domain: '',
          page: { pageSize: 5, pageToken: '' },
        },
        await crm.as(callers.seller01),
      );
      expect(result.accounts[0]?.account).toMatchObject({
        id: ACME,
        region: 'AMER',
      });
    },
  );

  it('FindAccounts pages with opaque tokens and filters by owner', async () => {
    const options = await crm.as(callers.seller01);
    const first = await crm.client.findAccounts(
      {
        query: '',
        ownerUserId: 'usr-lumen-seller-03',
        domain: '',
        page: { pageSize: 3, pageToken: '' },
      },
      options,
    );
    expect(first.accounts).toHaveLength(3);
    expect(
      first.accounts.every(
        (a) => a.account?.ownerUserId === 'usr-lumen-seller-03',
      ),
    ).toBe(true);
    const second = await crm.client.findAccounts(
      {
        query: '',
        ownerUserId: 'usr-lumen-seller-03',
        domain: '',
        page: { pageSize: 3, pageToken: first.page?.nextPageToken ?? '' },
      },
      options,
    );
    expect(second.accounts[0]?.account?.id).not.toBe(
      first.accounts[0]?.account?.id,
    );
    expect(second.page?.totalSize).toBe(first.page?.totalSize);
    // A token only works with the filters it was issued for.
    const other = await outcome(
      crm.client.findAccounts(
        {
          query: 'acme',
          ownerUserId: '',
          domain: '',
          page: { pageSize: 3, pageToken: first.page?.nextPageToken ?? '' },
        },
        options,
      ),
    );
    expect(other).toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: ['page.pageToken'],
    });
  });

  it('an out-of-territory seller gets NOT_FOUND exactly like for a missing account', async () => {
    const outsider = await crm.as(callers.seller06);
    const hidden = await outcome(
      crm.client.getAccount360({ accountId: ACME }, outsider),
    );
    const missing = await outcome(
      crm.client.getAccount360({ accountId: 'acc-lumen-9999' }, outsider),
    );
    expect(hidden).toMatchObject({ code: 'NOT_FOUND', status: 5 });
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 5 });
    expect(hidden.message.replace(ACME, 'X')).toBe(
      missing.message.replace('acc-lumen-9999', 'X'),
    );
    const search = await crm.client.findAccounts(
      {
        query: 'acme corporation',
        ownerUserId: '',
        domain: '',
        page: undefined,
      },
      outsider,
    );
    expect(search.accounts.map((a) => a.account?.id)).not.toContain(ACME);
  });

  it('another tenant never sees lumen data', async () => {
    const north = await crm.as(callers.northSeller);
    expect(
      await outcome(crm.client.getAccount360({ accountId: ACME }, north)),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    const users = await crm.client.listUsers(
      { role: '', managerUserId: '', territory: '', page: undefined },
      await crm.as(callers.northAdmin),
    );
    expect(users.users.length).toBeGreaterThan(0);
    expect(users.users.every((u) => u.tenant === 'northstar')).toBe(true);
  });

  it('a manager gets hygiene alerts over the team territories only', async () => {
    const alerts = await crm.client.getHygieneAlerts(
      { horizonDays: 36, accountId: '', ownerUserId: '', limit: 0 },
      await crm.as(callers.manager01),
    );
    expect(alerts.asOf).toBe('2026-11-25');
    expect(alerts.horizonDays).toBe(36);
    expect(alerts.goingLive.length).toBeGreaterThan(0);
    expect(alerts.goingLive.length).toBeLessThanOrEqual(20);
    expect(
      alerts.goingLive.every(
        (u) => u.goLiveDate >= '2026-11-25' && u.goLiveDate <= '2026-12-31',
      ),
    ).toBe(true);
    const amerEast = new Set(
      fullDataset()
        .accounts.filter((a) => a.territoryId === 'amer-east')
        .map((a) => a.id),
    );
    expect(alerts.goingLive.every((u) => amerEast.has(u.accountId))).toBe(true);
    expect(
      alerts.missingSponsor.every((u) => u.executiveSponsorContactId === ''),
    ).toBe(true);
    expect(alerts.pastCloseDate.every((o) => o.closeDate < '2026-11-25')).toBe(
      true,
    );
    expect(alerts.missingFields.every((m) => m.accountId !== '')).toBe(true);
    const narrowed = await crm.client.getHygieneAlerts(
      { horizonDays: 90, accountId: ACME, ownerUserId: '', limit: 200 },
      await crm.as(callers.manager01),
    );
    expect(
      [
        ...narrowed.goingLive,
        ...narrowed.missingSponsor,
        ...narrowed.pastCloseDate,
      ].every((r) => r.accountId === ACME),
    ).toBe(true);
    expect(narrowed.goingLive.map((u) => u.id)).toContain('uc-lumen-00001');
  });

  it('the directory: admins see the tenant, managers their team, sellers themselves', async () => {
    const list = async (caller: (typeof callers)[keyof typeof callers]) =>
      (
        await crm.client.listUsers(
          {
            role: '',
            managerUserId: '',
            territory: '',
            page: { pageSize: 500, pageToken: '' },
          },
          await crm.as(caller),
        )
      ).users;
    expect(await list(callers.admin)).toHaveLength(74);
    const team = await list(callers.manager01);
    expect(team.map((u) => u.id).sort()).toEqual([
      'usr-lumen-manager-01',
      ...[1, 2, 3, 4, 5].map((n) => `usr-lumen-seller-0${n}`),
    ]);
    expect(team.find((u) => u.role === 'manager')?.territories).toEqual([
      'amer-east',
    ]);
    expect((await list(callers.seller01)).map((u) => u.id)).toEqual([
      'usr-lumen-seller-01',
    ]);
    expect(
      await outcome(
        crm.client.getUser(
          { userId: 'usr-lumen-seller-02' },
          await crm.as(callers.seller01),
        ),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const self = await crm.client.getUser(
      { userId: 'usr-lumen-seller-02' },
      await crm.as(callers.manager01),
    );
    expect(self.user).toMatchObject({
      managerUserId: 'usr-lumen-manager-01',
      tenant: 'lumen',
    });
  });

  it('GetOpportunity, GetUseCase and ListContacts read single records in scope', async () => {
    const options = await crm.as(callers.seller01);
    const useCase = await crm.client.getUseCase(
      { useCaseId: 'uc-lumen-00001' },
      options,
    );
    expect(useCase.useCase).toMatchObject({
      accountId: ACME,
      name: 'SaaS connectors to warehouse',
    });
    const view = await crm.client.getAccount360({ accountId: ACME }, options);
    const oppId = view.openOpportunities[0]?.id ?? '';
    const opp = await crm.client.getOpportunity(
      { opportunityId: oppId },
      options,
    );
    expect(opp.opportunity?.id).toBe(oppId);
    const contacts = await crm.client.listContacts(
      { accountId: ACME, query: '', page: undefined },
      options,
    );
    expect(contacts.contacts.length).toBeGreaterThan(0);
    expect(contacts.contacts.every((c) => c.accountId === ACME)).toBe(true);
    expect(
      await outcome(
        crm.client.getOpportunity(
          { opportunityId: oppId },
          await crm.as(callers.seller06),
        ),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});
