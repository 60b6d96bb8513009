import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteCrmStore } from '../../../../src/adapters/store/sqlite-crm-store.js';
import { importCrmExport } from '../../../../src/domain/import/import-crm-export.js';
import {
  renderImportReportMarkdown,
  type ImportReport,
} from '../../../../src/domain/import/import-report.js';
import { readExportFile } from '../../../../src/domain/import/raw-export.js';
import {
  fixedClock,
  seededSqlite,
  silentLogger,
  smallDataset,
  vocabulary,
} from '../../../helpers/fixtures.js';

const dir = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'fixtures',
  'messy',
);

describe('importCrmExport on the messy fixture', () => {
  let store: SqliteCrmStore;
  let report: ImportReport;
  const admin = {
    tenant: 'lumen',
    userId: 'usr-lumen-admin-01',
    territories: 'all' as const,
  };

  beforeAll(async () => {
    store = await seededSqlite(smallDataset());
    report = await importCrmExport(
      { store, logger: silentLogger, clock: fixedClock },
      {
        tenant: 'lumen',
        industries: vocabulary.industries,
        accounts: {
          source: 'accounts.csv',
          rows: await readExportFile(join(dir, 'accounts.csv')),
        },
        opportunities: {
          source: 'opportunities.json',
          rows: await readExportFile(join(dir, 'opportunities.json')),
        },
      },
    );
  });
  afterAll(async () => {
    await store.close();
  });

  const counts = (
    entity: string,
    list: readonly { entity: string; kind: string }[],
  ) => {
    const out: Record<string, number> = {};
    for (const item of list.filter((i) => i.entity === entity))
      out[item.kind] = (out[item.kind] ?? 0) + 1;
    return out;
  };

  it('accounts for every row (PLANTED-PROBLEMS.md totals)', () => {
    expect(report.totals).toEqual({
      accountsRead: 12,
      accountsLoaded: 5,
      accountsMerged: 3,
      accountsMatchedExisting: 1,
      accountsRejected: 3,
      opportunitiesRead: 14,
      opportunitiesLoaded: 6,
      opportunitiesRejected: 8,
    });
  });

  it('rejects exactly the planted bad rows, each with its row reference', () => {
    expect(counts('account', report.rejected)).toEqual({
      missing_name: 1,
      unknown_country: 1,
      duplicate_id: 1,
    });
    expect(counts('opportunity', report.rejected)).toEqual({
      unknown_account: 2,
      unknown_stage: 1,
      invalid_amount: 1,
      invalid_close_date: 1,
      unknown_currency: 1,
      duplicate_id: 1,
      missing_name: 1,
    });
    expect(report.rejected.map((r) => r.rowRef)).toContain(
      'accounts.csv:line 7',
    );
    expect(report.rejected.map((r) => r.rowRef)).toContain(
      'opportunities.json[8]',
    );
    expect(report.rejected.every((r) => r.reason.length > 0)).toBe(true);
  });

  it('reports exactly the planted fixes', () => {
    expect(counts('account', report.changes)).toEqual({
      country_normalized: 4,
      industry_normalized: 2,
      employees_parsed: 1,
      amount_parsed: 3,
      date_reformatted: 2,
      industry_unknown: 1,
      owner_defaulted: 1,
      employees_invalid: 1,
      date_invalid: 1,
      duplicate_merged: 3,
      matched_existing: 1,
    });
    expect(counts('opportunity', report.changes)).toEqual({
      stage_normalized: 3,
      amount_parsed: 3,
      currency_normalized: 2,
      currency_defaulted: 2,
      date_reformatted: 3,
      forecast_derived: 1,
      account_remapped: 2,
      owner_defaulted: 2,
      amount_missing: 1,
    });
  });

  it('loads cleaned values into GOLD', async () => {
    const fjord = await store.getAccount(admin, 'acc-lumen-sf-001a000004');
    expect(fjord).toMatchObject({
      industry: 'Technology',
      employees: 5000,
      country: 'NO',
      territoryId: 'emea-nordics',
      createdAt: '2018-06-04',
      segment: 'Enterprise',
    });
    const mueller = await store.getAccount(admin, 'acc-lumen-sf-001a000005');
    expect(mueller).toMatchObject({
      arrUsd: 1_234_568,
      createdAt: '2020-01-01',
      territoryId: 'emea-dach',
    });
    const won = await store.getOpportunity(admin, 'opp-lumen-sf-006a000001');
    expect(won).toMatchObject({
      stage: 'Closed Won',
      amountCents: 1_200_000,
      currency: 'USD',
      closeDate: '2026-03-31',
    });
    const remapped = await store.getOpportunity(
      admin,
      'opp-lumen-sf-006a000002',
    );
    expect(remapped).toMatchObject({
      accountId: 'acc-lumen-sf-001a000001',
      stage: 'Negotiation',
      amountCents: 1_200_000,
      currency: 'USD',
      forecastCategory: 'Commit',
    });
    const euro = await store.getOpportunity(admin, 'opp-lumen-sf-006a000003');
    expect(euro).toMatchObject({
      amountCents: 123_450,
      currency: 'EUR',
      closeDate: '2027-01-15',
    });
    const acmeDeal = await store.getOpportunity(
      admin,
      'opp-lumen-sf-006a000011',
    );
    expect(acmeDeal?.accountId).toBe('acc-lumen-0001');
    const orphanOwner = await store.getOpportunity(
      admin,
      'opp-lumen-sf-006a000004',
    );
    expect(orphanOwner?.ownerId).toBe('usr-lumen-seller-31');
    expect(
      await store.getAccount(admin, 'acc-lumen-sf-001a000002'),
    ).toBeUndefined();
  });

  it('renders a Markdown report listing every rejection', () => {
    const md = renderImportReportMarkdown(report);
    for (const r of report.rejected) expect(md).toContain(r.rowRef);
    expect(md).toContain('| accounts | 12 | 5 | 3 | 1 | 3 |');
  });
});
