import { FieldwiseError } from '@fieldwise/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldChange } from '../../../../src/adapters/store/port.js';
import type { SqliteCrmStore } from '../../../../src/adapters/store/sqlite-crm-store.js';
import { account360 } from '../../../../src/domain/functions/account-360.js';
import { consumptionSeries } from '../../../../src/domain/functions/consumption-series.js';
import { createEmailDraft } from '../../../../src/domain/functions/create-email-draft.js';
import { createProposal } from '../../../../src/domain/functions/create-proposal.js';
import type { CrmDeps } from '../../../../src/domain/functions/deps.js';
import { findAccounts } from '../../../../src/domain/functions/find-accounts.js';
import { hygieneAlerts } from '../../../../src/domain/functions/hygiene-alerts.js';
import { similarCustomers } from '../../../../src/domain/functions/similar-customers.js';
import { supportCases } from '../../../../src/domain/functions/support-cases.js';
import { updateField } from '../../../../src/domain/functions/update-field.js';
import {
  callers,
  depsFor,
  fullDataset,
  seededSqlite,
} from '../../../helpers/fixtures.js';

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

describe('domain functions on the full seeded dataset', () => {
  let store: SqliteCrmStore;
  let deps: CrmDeps;
  const seller = callers.seller01;

  beforeAll(async () => {
    store = await seededSqlite(fullDataset());
    deps = depsFor(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it.each([
    'acme corp',
    'ACME',
    'acmee',
    'Acme Corporation',
    'acme.com',
    'https://www.acme.com/',
  ])('findAccounts("%s") finds Acme Corporation first', async (query) => {
    const result = await findAccounts(deps, seller, { query, limit: 5 });
    expect(result.items[0]?.name).toBe('Acme Corporation');
  });

  it('findAccounts matches owners and pages', async () => {
    const byOwner = await findAccounts(deps, seller, {
      query: 'Daniel Wagner',
      limit: 100,
    });
    expect(byOwner.items.length).toBeGreaterThan(0);
    expect(
      byOwner.items.every(
        (i) => i.owner?.id === 'usr-lumen-seller-03' && i.matchedOn === 'owner',
      ),
    ).toBe(true);
    const page1 = await findAccounts(deps, seller, { limit: 10 });
    const page2 = await findAccounts(deps, seller, { limit: 10, offset: 10 });
    expect(page1.nextOffset).toBe(10);
    expect(page1.items.map((i) => i.id)).not.toContain(page2.items[0]?.id);
    expect(page1.total).toBe(page2.total);
  });

  it('account360 returns the documented Acme facts', async () => {
    const view = await account360(deps, seller, {
      accountId: 'acc-lumen-0001',
    });
    expect(view.account.name).toBe('Acme Corporation');
    expect(view.owner).toEqual({
      id: 'usr-lumen-seller-03',
      name: 'Daniel Wagner',
      email: 'daniel.wagner@lumendata.com',
    });
    expect(view.arrUsd).toBe(1_597_488);
    expect(view.topUseCases[0]).toMatchObject({
      name: 'SaaS connectors to warehouse',
      estMonthlyRevenueUsd: 79_880,
    });
    const connect = view.consumption.byProductLine.find(
      (p) => p.key === 'connect',
    );
    expect(connect).toMatchObject({
      lastMonthUsd: 112_407,
      previousMonthUsd: 108_122,
      momGrowthPct: 4,
      yoyGrowthPct: 109.9,
    });
    expect(view.consumption).toMatchObject({
      lastMonth: '2026-10',
      totalLastMonthUsd: 133_124,
    });
    expect(view.consumption.totalLastMonthUsd * 12).toBe(view.arrUsd);
    expect(view.supportCases.openBySeverity).toEqual({
      S1: 0,
      S2: 0,
      S3: 2,
      S4: 1,
    });
    expect(
      view.openOpportunities.every(
        (o) => o.stage !== 'Closed Won' && o.stage !== 'Closed Lost',
      ),
    ).toBe(true);
  });

  it('consumptionSeries gives MoM and YoY growth', async () => {
    const result = await consumptionSeries(deps, seller, {
      accountId: 'acc-lumen-0001',
      months: 12,
      groupBy: 'productLine',
      productLine: 'connect',
    });
    const last = result.series[0]?.points.at(-1);
    expect(last).toEqual({
      month: '2026-10',
      amountUsd: 112_407,
      momGrowthPct: 4,
      yoyGrowthPct: 109.9,
    });
    expect(result.series[0]?.points).toHaveLength(12);
  });

  it('supportCases counts by severity', async () => {
    const result = await supportCases(deps, seller, {
      accountId: 'acc-lumen-0001',
    });
    expect(result.countsBySeverity).toEqual({ S1: 0, S2: 0, S3: 2, S4: 1 });
    const all = await supportCases(deps, seller, {
      accountId: 'acc-lumen-0001',
      status: 'all',
    });
    expect(all.items.length).toBeGreaterThanOrEqual(result.items.length);
  });

  it('similarCustomers recommends live use cases Acme lacks, with reasons', async () => {
    const result = await similarCustomers(deps, seller, {
      accountId: 'acc-lumen-0001',
    });
    expect(result.similar).toHaveLength(5);
    expect(result.similar[0]?.similarity).toBeGreaterThanOrEqual(
      result.similar[4]?.similarity ?? 0,
    );
    expect(result.recommendations.length).toBeGreaterThan(0);
    for (const r of result.recommendations) {
      expect(['connect', 'warehouse']).not.toContain(r.productLine);
      expect(r.reason).toContain('Acme Corporation has no live');
    }
  });

  it('hygieneAlerts finds go-lives, blockers, missing sponsors and overdue deals', async () => {
    const alerts = await hygieneAlerts(deps, seller, { horizonDays: 36 });
    expect(alerts.horizonEnd).toBe('2026-12-31');
    expect(
      alerts.goingLive.items.every(
        (u) =>
          u.goLiveDate !== null &&
          u.goLiveDate >= '2026-11-25' &&
          u.goLiveDate <= '2026-12-31',
      ),
    ).toBe(true);
    expect(alerts.goingLive.total).toBeGreaterThan(0);
    expect(
      alerts.missingExecutiveSponsor.items.every((u) => !u.hasExecutiveSponsor),
    ).toBe(true);
    expect(
      alerts.pastCloseDates.items.every(
        (o) => o.closeDate < '2026-11-25' && o.daysOverdue > 0,
      ),
    ).toBe(true);
    expect(alerts.topBlockers[0]?.count).toBeGreaterThan(1);
  });

  describe('updateField', () => {
    const acmeOpp = () =>
      fullDataset().opportunities.find(
        (o) =>
          o.accountId === 'acc-lumen-0001' &&
          o.stage !== 'Closed Won' &&
          o.stage !== 'Closed Lost',
      );

    it('lets exactly one of concurrent updates win; the loser gets CONFLICT with the current value', async () => {
      const opp = acmeOpp();
      const attempt = (value: string) =>
        updateField(deps, seller, {
          entity: 'opportunity',
          id: opp?.id ?? '',
          field: 'nextStep',
          value,
          expectedVersion: 1,
        });
      const results = await Promise.allSettled([
        attempt('A'),
        attempt('B'),
        attempt('C'),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const winner = (won[0] as PromiseFulfilledResult<{ change: FieldChange }>)
        .value.change.after;
      for (const r of results.filter((x) => x.status === 'rejected')) {
        const error = r.reason as FieldwiseError;
        expect(error.code).toBe('CONFLICT');
        expect(error.context).toMatchObject({
          currentVersion: 2,
          currentValue: winner,
        });
      }
    });

    it('replays an idempotency key: same result, nothing changed, one history row', async () => {
      const useCase = fullDataset().useCases.find(
        (u) => u.accountId === 'acc-lumen-0001' && !u.isLive,
      );
      const events: FieldChange[] = [];
      const request = {
        entity: 'use_case' as const,
        id: useCase?.id ?? '',
        field: 'stage',
        value: 'Live',
        expectedVersion: 1,
        idempotencyKey: 'confirm-action-0001',
      };
      const first = await updateField(
        deps,
        seller,
        request,
        (c) => void events.push(c),
      );
      const again = await updateField(
        deps,
        seller,
        request,
        (c) => void events.push(c),
      );
      expect(again).toEqual({ change: first.change, replayed: true });
      expect(events).toHaveLength(1);
      const stored = await store.getUseCase(
        { tenant: 'lumen', userId: 'x', territories: 'all' },
        useCase?.id ?? '',
      );
      expect(stored).toMatchObject({ stage: 'Live', isLive: true, version: 2 });
      expect(
        await store.listFieldHistory(
          { tenant: 'lumen', userId: 'x', territories: 'all' },
          'use_case',
          useCase?.id ?? '',
        ),
      ).toHaveLength(1);
    });

    it('validates per field type and rejects fields off the allow-list', async () => {
      const opp = acmeOpp();
      const id = opp?.id ?? '';
      const cases: [string, unknown][] = [
        ['stage', 'Won-ish'],
        ['amount', -5],
        ['amount', '12'],
        ['closeDate', '2026-02-30'],
        ['currency', 'XYZ'],
        ['nextStep', 'x'.repeat(501)],
        ['ownerId', 'usr-lumen-seller-02'],
        ['version', 7],
        ['__proto__', 1],
      ];
      for (const [field, value] of cases) {
        expect(
          await code(
            updateField(deps, seller, {
              entity: 'opportunity',
              id,
              field,
              value,
              expectedVersion: 2,
            }),
          ),
        ).toBe('VALIDATION_FAILED');
      }
    });

    it('rejects a sponsor from another account', async () => {
      const useCase = fullDataset().useCases.find(
        (u) =>
          u.accountId === 'acc-lumen-0001' &&
          u.version === 1 &&
          u.isLive === false &&
          u.id !== 'uc-lumen-00001',
      );
      const otherContact = fullDataset().contacts.find(
        (c) => c.accountId !== 'acc-lumen-0001',
      );
      expect(
        await code(
          updateField(deps, seller, {
            entity: 'use_case',
            id: useCase?.id ?? '',
            field: 'executiveSponsorId',
            value: otherContact?.id ?? '',
            expectedVersion: 1,
          }),
        ),
      ).toBe('VALIDATION_FAILED');
    });
  });

  it('bad input is VALIDATION_FAILED or NOT_FOUND, never INTERNAL', async () => {
    const huge = 'x'.repeat(100_000);
    const calls: [Promise<unknown>, string][] = [
      [
        account360(deps, seller, { accountId: 'acc-does-not-exist' }),
        'NOT_FOUND',
      ],
      [account360(deps, seller, { accountId: huge }), 'VALIDATION_FAILED'],
      [
        account360(deps, seller, { accountId: 42 as unknown as string }),
        'VALIDATION_FAILED',
      ],
      [
        account360(deps, seller, { accountId: "x' or 1=1 --" }),
        'VALIDATION_FAILED',
      ],
      [findAccounts(deps, seller, { query: huge }), 'VALIDATION_FAILED'],
      [findAccounts(deps, seller, { limit: 0 }), 'VALIDATION_FAILED'],
      [findAccounts(deps, seller, { limit: 1e9 }), 'VALIDATION_FAILED'],
      [findAccounts(deps, seller, { offset: -1 }), 'VALIDATION_FAILED'],
      [
        consumptionSeries(deps, seller, {
          accountId: 'acc-lumen-0001',
          months: 99,
        }),
        'VALIDATION_FAILED',
      ],
      [hygieneAlerts(deps, seller, { horizonDays: 0 }), 'VALIDATION_FAILED'],
      [
        supportCases(deps, seller, {
          accountId: 'acc-lumen-0001',
          status: 'weird' as 'open',
        }),
        'VALIDATION_FAILED',
      ],
      [
        similarCustomers(deps, seller, { accountId: 'acc-lumen-9999' }),
        'NOT_FOUND',
      ],
      [
        updateField(deps, seller, {
          entity: 'opportunity',
          id: 'opp-lumen-99999',
          field: 'nextStep',
          value: 'x',
          expectedVersion: 1,
        }),
        'NOT_FOUND',
      ],
      [
        updateField(deps, seller, {
          entity: 'account' as 'opportunity',
          id: 'acc-lumen-0001',
          field: 'name',
          value: 'x',
          expectedVersion: 1,
        }),
        'VALIDATION_FAILED',
      ],
      [
        updateField(deps, seller, {
          entity: 'opportunity',
          id: 'opp-lumen-00001',
          field: 'nextStep',
          value: 'x',
          expectedVersion: 0,
        }),
        'VALIDATION_FAILED',
      ],
      [
        createProposal(deps, seller, {
          accountId: 'acc-lumen-0001',
          productLines: ['nope'],
        }),
        'VALIDATION_FAILED',
      ],
      [
        createProposal(deps, seller, {
          accountId: 'acc-lumen-0001',
          useCaseIds: ['uc-lumen-99999'],
        }),
        'NOT_FOUND',
      ],
      [
        createEmailDraft(deps, seller, {
          accountId: 'acc-lumen-0001',
          contactId: 'con-lumen-99999',
        }),
        'NOT_FOUND',
      ],
      [findAccounts(deps, { ...seller, tenant: '' }, {}), 'VALIDATION_FAILED'],
      [
        findAccounts(deps, null as unknown as typeof seller, {}),
        'VALIDATION_FAILED',
      ],
    ];
    for (const [call, expected] of calls)
      expect(await code(call)).toBe(expected);
  });

  it('createEmailDraft stores a draft written from account data, idempotently', async () => {
    const first = await createEmailDraft(deps, seller, {
      accountId: 'acc-lumen-0001',
      kind: 'follow-up',
      idempotencyKey: 'email-key-0001',
    });
    expect(first.record.subject).toContain('SaaS connectors to warehouse');
    expect(first.record.body).toMatch(/^Hi /);
    const again = await createEmailDraft(deps, seller, {
      accountId: 'acc-lumen-0001',
      kind: 'follow-up',
      idempotencyKey: 'email-key-0001',
    });
    expect(again).toEqual({ record: first.record, replayed: true });
    const west = fullDataset().accounts.find(
      (a) => a.territoryId === 'amer-west',
    );
    expect(
      await code(createEmailDraft(deps, seller, { accountId: west?.id ?? '' })),
    ).toBe('PERMISSION_DENIED');
  });

  it('createProposal renders Markdown and escaped HTML', async () => {
    const { record } = await createProposal(deps, seller, {
      accountId: 'acc-lumen-0001',
      title: '<script>alert(1)</script> & "Acme"',
      useCaseIds: ['uc-lumen-00001'],
      productLines: ['govern'],
    });
    expect(record.html).not.toContain('<script>');
    expect(record.html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Acme&quot;',
    );
    expect(record.markdown).toContain('SaaS connectors to warehouse');
    expect(record.markdown).toContain('Lumen Govern');
    expect(record.html).toContain(
      '<li>Lumen Connect: managed connectors and ELT pipelines</li>',
    );
    expect(record.markdown).toContain('$79,880 per month');
  });
});
