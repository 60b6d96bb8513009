import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REFERENCE_DATE,
  DEFAULT_SEED,
  datasetDigest,
  generateGoldDataset,
} from '../../../../src/domain/generator/generate.js';
import { Prng } from '../../../../src/domain/generator/prng.js';
import { OPPORTUNITY_STAGES } from '../../../../src/domain/model.js';
import { fullDataset, vocabulary } from '../../../helpers/fixtures.js';

describe('Prng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Prng('x');
    const b = new Prng('x');
    const c = new Prng('y');
    const seqA = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(seqA);
    expect(c.next()).not.toBe(seqA[0]);
    expect(seqA.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('generateGoldDataset', () => {
  const data = fullDataset();
  const lumen = <T extends { tenantId: string }>(rows: readonly T[]) =>
    rows.filter((r) => r.tenantId === 'lumen');

  it('is stable: same seed, same digest', () => {
    const again = generateGoldDataset(vocabulary, {
      seed: DEFAULT_SEED,
      referenceDate: DEFAULT_REFERENCE_DATE,
    });
    expect(datasetDigest(again)).toBe(datasetDigest(data));
    expect(datasetDigest(data)).toBe(
      '9c928a8d87e7f30779f5954675f21b39d4068beece32b4387fc635fc7dc662e1',
    );
    const other = generateGoldDataset(vocabulary, {
      seed: 'other',
      referenceDate: DEFAULT_REFERENCE_DATE,
      mainAccounts: 30,
      secondAccounts: 5,
    });
    expect(datasetDigest(other)).not.toBe(datasetDigest(data));
  });

  it('has the planned size and people', () => {
    expect(lumen(data.accounts)).toHaveLength(2000);
    expect(
      data.accounts.filter((a) => a.tenantId === 'northstar'),
    ).toHaveLength(40);
    const roles = (tenant: string, role: string) =>
      data.users.filter((u) => u.tenantId === tenant && u.role === role).length;
    expect([
      roles('lumen', 'seller'),
      roles('lumen', 'manager'),
      roles('lumen', 'admin'),
    ]).toEqual([60, 8, 2]);
    expect([
      roles('lumen', 'auditor'),
      roles('lumen', 'content-manager'),
    ]).toEqual([2, 2]);
    expect([
      roles('northstar', 'seller'),
      roles('northstar', 'manager'),
      roles('northstar', 'admin'),
      roles('northstar', 'auditor'),
    ]).toEqual([3, 1, 1, 1]);
    expect(data.opportunities.length).toBeGreaterThan(5500);
    expect(data.useCases.length).toBeGreaterThan(4500);
    const managers = data.users.filter(
      (u) => u.role === 'manager' && u.tenantId === 'lumen',
    );
    expect(
      managers.every(
        (m) => m.territories.length >= 1 && m.territories.length <= 2,
      ),
    ).toBe(true);
    expect(new Set(managers.flatMap((m) => m.territories)).size).toBe(12);
  });

  it('includes the 20 anchors exactly', () => {
    for (const anchor of vocabulary.anchorAccounts) {
      const account = data.accounts.find((a) => a.name === anchor.name);
      expect(account).toMatchObject({
        domain: anchor.domain,
        territoryId: anchor.territory,
        industry: anchor.industry,
        segment: anchor.segment,
        tenantId: 'lumen',
      });
    }
  });

  it('covers every stage, live use cases, blockers and missing sponsors', () => {
    expect(new Set(data.opportunities.map((o) => o.stage))).toEqual(
      new Set(OPPORTUNITY_STAGES),
    );
    const noSponsor =
      data.useCases.filter((u) => u.executiveSponsorId === null).length /
      data.useCases.length;
    expect(noSponsor).toBeGreaterThan(0.1);
    expect(noSponsor).toBeLessThan(0.2);
    expect(data.useCases.some((u) => !u.isLive && u.blockers !== null)).toBe(
      true,
    );
    expect(
      data.useCases.some(
        (u) =>
          !u.isLive &&
          u.goLiveDate !== null &&
          u.goLiveDate >= '2026-11-25' &&
          u.goLiveDate <= '2026-12-31',
      ),
    ).toBe(true);
    const months = new Set(data.consumption.map((c) => c.month));
    expect(months.size).toBe(24);
    expect([...months].sort()[0]).toBe('2024-11');
    expect([...months].sort()[23]).toBe('2026-10');
  });

  it('keeps the two tenants apart', () => {
    const north = data.accounts.filter((a) => a.tenantId === 'northstar');
    const lumenNames = new Set(lumen(data.accounts).map((a) => a.name));
    const lumenDomains = new Set(lumen(data.accounts).map((a) => a.domain));
    expect(
      north.some((a) => lumenNames.has(a.name) || lumenDomains.has(a.domain)),
    ).toBe(false);
    const accountTenant = new Map(data.accounts.map((a) => [a.id, a.tenantId]));
    expect(
      data.opportunities.every(
        (o) => accountTenant.get(o.accountId) === o.tenantId,
      ),
    ).toBe(true);
    expect(
      data.useCases.every((u) => accountTenant.get(u.accountId) === u.tenantId),
    ).toBe(true);
  });

  it('matches the facts documented in SEED-FACTS.md', () => {
    const acme = data.accounts.find((a) => a.name === 'Acme Corporation');
    expect(acme).toMatchObject({
      id: 'acc-lumen-0001',
      arrUsd: 1_597_488,
      ownerId: 'usr-lumen-seller-03',
    });
    const top = data.useCases
      .filter((u) => u.accountId === acme?.id)
      .sort((a, b) => b.estMonthlyRevenueUsd - a.estMonthlyRevenueUsd)[0];
    expect(top).toMatchObject({
      id: 'uc-lumen-00001',
      name: 'SaaS connectors to warehouse',
      productLine: 'connect',
      estMonthlyRevenueUsd: 79_880,
    });
  });
});
