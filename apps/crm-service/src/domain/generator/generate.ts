import { createHash } from 'node:crypto';
import type {
  AccountRecord,
  CompetitorPresentRecord,
  ConsumptionRecord,
  ContactRecord,
  GoldDataset,
  NewsItemRecord,
  OpportunityRecord,
  OpportunityStage,
  Severity,
  SupportCaseRecord,
  TenantRecord,
  TerritoryRecord,
  UseCaseRecord,
  UseCaseStage,
  UserRecord,
} from '../model.js';
import type { DomainVocabulary } from '../vocabulary.js';
import {
  addDays,
  addMonths,
  daysBetween,
  monthOf,
  quarterEnd,
} from './calendar.js';
import { Prng } from './prng.js';
import {
  BLOCKERS,
  COUNTRY_TLDS,
  FIRST_NAMES,
  LAST_NAMES,
  NAME_CORES,
  NAME_PREFIXES,
  NAME_SUFFIXES,
  NEWS_SOURCES,
  NEWS_TEMPLATES,
  SUPPORT_SUBJECTS,
  TERRITORY_COUNTRIES,
  TERRITORY_CURRENCY,
  TITLES,
  USE_CASE_PURPOSES,
} from './word-lists.js';

/** What to generate. Same options → byte-identical dataset. */
export interface GeneratorOptions {
  /** PRNG seed; the documented facts hold for {@link DEFAULT_SEED}. */
  readonly seed: string;
  /** The dataset's "today" (`YYYY-MM-DD`); never the wall clock. */
  readonly referenceDate: string;
  /** Accounts of the main tenant, anchors included (default 2,000). */
  readonly mainAccounts?: number;
  /** Accounts of the second tenant (default 40). */
  readonly secondAccounts?: number;
}

/** The seed the documented facts (SEED-FACTS.md) were taken from. */
export const DEFAULT_SEED = 'fieldwise-gold-v1';
/** The dataset's fixed "today". */
export const DEFAULT_REFERENCE_DATE = '2026-11-25';
/** Months of consumption history, ending with the month before the reference month. */
export const CONSUMPTION_MONTHS = 24;

/** Main tenant: managers and the territories each one's team covers. */
const MAIN_TEAMS: readonly (readonly string[])[] = [
  ['amer-east'],
  ['amer-central', 'amer-canada'],
  ['amer-west', 'amer-latam'],
  ['emea-uki'],
  ['emea-dach', 'emea-nordics'],
  ['emea-france-benelux'],
  ['apj-anz', 'apj-asean-india'],
  ['apj-japan'],
];
const SELLERS_PER_TERRITORY = 5;

const STAGE_WEIGHTS: readonly (readonly [OpportunityStage, number])[] = [
  ['Prospecting', 14],
  ['Qualification', 14],
  ['Discovery', 14],
  ['Proposal', 12],
  ['Negotiation', 10],
  ['Closed Won', 20],
  ['Closed Lost', 16],
];

const USE_CASE_STAGE_WEIGHTS: readonly (readonly [UseCaseStage, number])[] = [
  ['Scoping', 18],
  ['Technical Validation', 20],
  ['Implementation', 24],
  ['Live', 32],
  ['Paused', 6],
];

const SEGMENT_SCALE: Readonly<Record<string, number>> = {
  Enterprise: 10,
  Commercial: 3,
  'Mid-Market': 1,
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 40);
}

function forecastFor(stage: OpportunityStage, rng: Prng): string {
  switch (stage) {
    case 'Prospecting':
    case 'Qualification':
      return 'Pipeline';
    case 'Discovery':
      return rng.chance(0.3) ? 'Best Case' : 'Pipeline';
    case 'Proposal':
      return 'Best Case';
    case 'Negotiation':
      return 'Commit';
    case 'Closed Won':
      return 'Closed';
    case 'Closed Lost':
      return 'Omitted';
  }
}

interface TenantPlan {
  readonly tenant: TenantRecord;
  readonly emailDomain: string;
  readonly territories: readonly { id: string; name: string; region: string }[];
  readonly teams: readonly (readonly string[])[];
  readonly sellersPerTerritory: readonly number[];
  readonly admins: number;
  readonly auditors: number;
  readonly contentManagers: number;
  readonly accounts: number;
  readonly anchors: DomainVocabulary['anchorAccounts'];
}

/** Mutable output being filled tenant by tenant. */
interface Output {
  tenants: TenantRecord[];
  territories: TerritoryRecord[];
  users: UserRecord[];
  accounts: AccountRecord[];
  contacts: ContactRecord[];
  opportunities: OpportunityRecord[];
  useCases: UseCaseRecord[];
  consumption: ConsumptionRecord[];
  supportCases: SupportCaseRecord[];
  news: NewsItemRecord[];
  competitors: CompetitorPresentRecord[];
}

/**
 * Generates the GOLD dataset: the main tenant (anchors included, 8 managers,
 * 60 sellers, admins, auditors, content managers) and a small second tenant
 * sharing no account, user, domain or name with it. Pure: depends only on
 * `vocabulary` and `options`.
 */
export function generateGoldDataset(
  vocabulary: DomainVocabulary,
  options: GeneratorOptions,
): GoldDataset {
  const rng = new Prng(options.seed);
  const [mainTenant, secondTenant] = vocabulary.tenants;
  if (!mainTenant || !secondTenant)
    throw new RangeError('domain needs two tenants');
  const out: Output = {
    tenants: [],
    territories: [],
    users: [],
    accounts: [],
    contacts: [],
    opportunities: [],
    useCases: [],
    consumption: [],
    supportCases: [],
    news: [],
    competitors: [],
  };
  const usedNames = new Set<string>(
    vocabulary.anchorAccounts.map((a) => a.name),
  );
  const usedDomains = new Set<string>(
    vocabulary.anchorAccounts.map((a) => a.domain),
  );
  const byId = new Map(vocabulary.territories.map((t) => [t.id, t]));
  const secondTerritories = ['amer-east', 'emea-uki'].map((id) => {
    const territory = byId.get(id);
    if (!territory) throw new RangeError(`domain lacks territory ${id}`);
    return territory;
  });
  const plans: TenantPlan[] = [
    {
      tenant: {
        id: mainTenant.id,
        name: mainTenant.name,
        defaultCurrency: 'USD',
      },
      emailDomain: `${slug(vocabulary.vendor)}.com`,
      territories: vocabulary.territories,
      teams: MAIN_TEAMS,
      sellersPerTerritory: vocabulary.territories.map(
        () => SELLERS_PER_TERRITORY,
      ),
      admins: 2,
      auditors: 2,
      contentManagers: 2,
      accounts: options.mainAccounts ?? 2000,
      anchors: vocabulary.anchorAccounts,
    },
    {
      tenant: {
        id: secondTenant.id,
        name: secondTenant.name,
        defaultCurrency: 'USD',
      },
      emailDomain: `${slug(secondTenant.id)}partners.com`,
      territories: secondTerritories,
      teams: [secondTerritories.map((t) => t.id)],
      sellersPerTerritory: [2, 1],
      admins: 1,
      auditors: 1,
      contentManagers: 0,
      accounts: options.secondAccounts ?? 40,
      anchors: [],
    },
  ];
  for (const plan of plans) {
    generateTenant(
      plan,
      vocabulary,
      options.referenceDate,
      rng,
      out,
      usedNames,
      usedDomains,
    );
  }
  return out;
}

function generateTenant(
  plan: TenantPlan,
  vocabulary: DomainVocabulary,
  referenceDate: string,
  rng: Prng,
  out: Output,
  usedNames: Set<string>,
  usedDomains: Set<string>,
): void {
  const tenantId = plan.tenant.id;
  out.tenants.push(plan.tenant);
  const stamp = `${referenceDate}T00:00:00.000Z`;
  const usedEmails = new Set<string>();
  const person = (): { name: string; local: string } => {
    for (;;) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const local = `${slug(first)}.${slug(last)}`;
      if (!usedEmails.has(local)) {
        usedEmails.add(local);
        return { name: `${first} ${last}`, local };
      }
    }
  };
  const user = (
    id: string,
    role: UserRecord['role'],
    managerId: string | null,
    territories: readonly string[],
  ): UserRecord => {
    const p = person();
    const record: UserRecord = {
      id,
      tenantId,
      email: `${p.local}@${plan.emailDomain}`,
      name: p.name,
      role,
      managerId,
      territories,
    };
    out.users.push(record);
    return record;
  };

  // 1. People: managers with their teams, then sellers per territory.
  const managerOf = new Map<string, string>();
  plan.teams.forEach((team, i) => {
    const manager = user(
      `usr-${tenantId}-manager-${pad(i + 1, 2)}`,
      'manager',
      null,
      team,
    );
    for (const territory of team) managerOf.set(territory, manager.id);
  });
  const sellersByTerritory = new Map<string, string[]>();
  let sellerNo = 0;
  plan.territories.forEach((territory, i) => {
    const ids: string[] = [];
    for (let s = 0; s < (plan.sellersPerTerritory[i] ?? 0); s++) {
      sellerNo += 1;
      const seller = user(
        `usr-${tenantId}-seller-${pad(sellerNo, 2)}`,
        'seller',
        managerOf.get(territory.id) ?? null,
        [territory.id],
      );
      ids.push(seller.id);
    }
    sellersByTerritory.set(territory.id, ids);
    out.territories.push({
      tenantId,
      id: territory.id,
      name: territory.name,
      region: territory.region,
      defaultOwnerId: ids[0] ?? managerOf.get(territory.id) ?? null,
    });
  });
  for (let i = 1; i <= plan.admins; i++)
    user(`usr-${tenantId}-admin-${pad(i, 2)}`, 'admin', null, []);
  for (let i = 1; i <= plan.auditors; i++)
    user(`usr-${tenantId}-auditor-${pad(i, 2)}`, 'auditor', null, []);
  for (let i = 1; i <= plan.contentManagers; i++) {
    user(`usr-${tenantId}-content-${pad(i, 2)}`, 'content-manager', null, []);
  }

  // 2. Accounts: anchors first (fixed names, domains and territories), then generated ones.
  const territoryWeights = plan.territories.map(
    (t) =>
      [t.id, t.region === 'AMER' ? 3 : t.region === 'EMEA' ? 2 : 1.5] as const,
  );
  for (let n = 0; n < plan.accounts; n++) {
    const anchor = plan.anchors[n];
    const accountId = `acc-${tenantId}-${pad(n + 1, 4)}`;
    let name: string;
    let domain: string;
    let territoryId: string;
    let industry: string;
    let segment: string;
    let country: string;
    if (anchor) {
      ({ name, domain, industry, segment } = anchor);
      territoryId = anchor.territory;
      country =
        countryForDomain(domain) ??
        TERRITORY_COUNTRIES[territoryId]?.[0] ??
        'US';
    } else {
      territoryId = rng.weighted(territoryWeights);
      industry = rng.pick(vocabulary.industries);
      segment = rng.weighted([
        ['Enterprise', 25],
        ['Commercial', 35],
        ['Mid-Market', 40],
      ]);
      country = rng.pick(TERRITORY_COUNTRIES[territoryId] ?? ['US']);
      for (;;) {
        name = `${rng.pick(NAME_PREFIXES)} ${rng.pick(NAME_CORES)}${rng.pick(NAME_SUFFIXES)}`;
        if (!usedNames.has(name)) break;
      }
      usedNames.add(name);
      const base = slug(
        name.replace(/ (Group|Partners|International|Co)$/, ''),
      );
      domain = `${base}.${COUNTRY_TLDS[country] ?? 'com'}`;
      for (let k = 2; usedDomains.has(domain); k++)
        domain = `${base}${k}.${COUNTRY_TLDS[country] ?? 'com'}`;
      usedDomains.add(domain);
    }
    const sellers = sellersByTerritory.get(territoryId) ?? [];
    const ownerId = sellers.length > 0 ? rng.pick(sellers) : null;
    const scale = SEGMENT_SCALE[segment] ?? 1;
    const employees =
      segment === 'Enterprise'
        ? rng.int(5000, 120000)
        : segment === 'Commercial'
          ? rng.int(1000, 4999)
          : rng.int(100, 999);
    const isCustomer = anchor !== undefined || rng.chance(0.8);
    const createdAt = addDays('2014-01-01', rng.int(0, 4200));
    const account: AccountRecord = {
      id: accountId,
      tenantId,
      name,
      domain,
      industry,
      segment,
      employees,
      country,
      accountType: isCustomer ? 'Customer' : 'Prospect',
      territoryId,
      ownerId,
      arrUsd: 0,
      createdAt,
      sourceRef: null,
    };

    // 3. Contacts.
    const contacts: ContactRecord[] = [];
    const contactCount = rng.int(2, 6);
    const titles = rng.sample(TITLES, contactCount);
    // Most accounts have an executive on file; keep at least one.
    if (!titles.some(([, exec]) => exec)) {
      titles[0] = rng.pick(TITLES.filter(([, exec]) => exec));
    }
    for (const [title, isExecutive] of titles) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      contacts.push({
        id: `con-${tenantId}-${pad(out.contacts.length + contacts.length + 1, 5)}`,
        tenantId,
        accountId,
        name: `${first} ${last}`,
        email: `${slug(first)}.${slug(last)}@${domain}`,
        title,
        isExecutive,
      });
    }
    out.contacts.push(...contacts);
    const executives = contacts.filter((c) => c.isExecutive);

    // 4. Consumption: 24 months per (product line, cloud) with a growth pattern.
    const productLines = isCustomer
      ? rng.sample(
          vocabulary.productLines.map((p) => p.id),
          rng.int(1, anchor ? 5 : 4),
        )
      : [];
    const clouds = rng.sample(
      vocabulary.clouds,
      rng.weighted([
        [1, 60],
        [2, 30],
        [3, 10],
      ]),
    );
    const lastMonth = addMonths(monthOf(referenceDate), -1);
    const firstMonth = addMonths(lastMonth, -(CONSUMPTION_MONTHS - 1));
    let lastMonthTotal = 0;
    for (const productLine of productLines) {
      for (const cloud of clouds) {
        const pattern = rng.weighted([
          ['growth', 62],
          ['flat', 15],
          ['decline', 10],
          ['late-start', 8],
          ['churned', 5],
        ] as const);
        const growth =
          pattern === 'growth'
            ? rng.float(0.01, 0.07)
            : pattern === 'decline'
              ? rng.float(-0.05, -0.01)
              : pattern === 'late-start'
                ? rng.float(0.05, 0.15)
                : rng.float(-0.005, 0.005);
        const start = pattern === 'late-start' ? rng.int(6, 18) : 0;
        const churnAt =
          pattern === 'churned' ? rng.int(6, 20) : CONSUMPTION_MONTHS;
        let level = rng.float(400, 6000) * scale;
        for (let m = 0; m < CONSUMPTION_MONTHS; m++) {
          if (m >= start && m < churnAt) {
            const amount = Math.round(level * rng.float(0.95, 1.05));
            if (amount > 0) {
              out.consumption.push({
                tenantId,
                accountId,
                month: addMonths(firstMonth, m),
                productLine,
                cloud,
                amountUsd: amount,
              });
              if (m === CONSUMPTION_MONTHS - 1) lastMonthTotal += amount;
            }
          }
          level *= 1 + growth;
        }
      }
    }
    out.accounts.push({ ...account, arrUsd: lastMonthTotal * 12 });

    // 5. Use cases: mostly on consumed product lines; some go live this quarter, some stall.
    const useCaseCount = anchor
      ? rng.int(3, 6)
      : rng.weighted([
          [0, 6],
          [1, 18],
          [2, 26],
          [3, 26],
          [4, 14],
          [5, 10],
        ]);
    const qEnd = quarterEnd(referenceDate);
    for (let u = 0; u < useCaseCount; u++) {
      const productLine =
        productLines.length > 0 && rng.chance(0.75)
          ? rng.pick(productLines)
          : rng.pick(vocabulary.productLines).id;
      const stage = rng.weighted(USE_CASE_STAGE_WEIGHTS);
      const isLive = stage === 'Live';
      let goLiveDate: string | null;
      if (isLive) goLiveDate = addDays(referenceDate, -rng.int(10, 700));
      else if (rng.chance(0.05)) goLiveDate = null;
      else if (rng.chance(0.3))
        goLiveDate = addDays(
          referenceDate,
          rng.int(0, Math.max(0, daysBetween(referenceDate, qEnd))),
        );
      else goLiveDate = addDays(referenceDate, rng.int(-45, 300));
      const blockers =
        !isLive && rng.chance(stage === 'Paused' ? 0.9 : 0.28)
          ? rng.pick(BLOCKERS)
          : null;
      const sponsor =
        executives.length > 0 && rng.chance(0.85)
          ? rng.pick(executives).id
          : null;
      const purpose = rng.pick(
        USE_CASE_PURPOSES[productLine] ?? ['Platform adoption'],
      );
      out.useCases.push({
        id: `uc-${tenantId}-${pad(out.useCases.length + 1, 5)}`,
        tenantId,
        accountId,
        name: purpose,
        productLine,
        stage,
        isLive,
        estMonthlyRevenueUsd:
          Math.round((rng.float(500, 9000) * scale) / 10) * 10,
        goLiveDate,
        blockers,
        executiveSponsorId: sponsor,
        version: 1,
        updatedAt: stamp,
      });
    }

    // 6. Opportunities in every stage; some open ones with a past close date.
    const oppCount = anchor
      ? rng.int(2, 5)
      : rng.weighted([
          [1, 15],
          [2, 25],
          [3, 25],
          [4, 20],
          [5, 15],
        ]);
    for (let o = 0; o < oppCount; o++) {
      const stage = rng.weighted(STAGE_WEIGHTS);
      const closed = stage === 'Closed Won' || stage === 'Closed Lost';
      const closeDate = closed
        ? addDays(referenceDate, -rng.int(1, 720))
        : rng.chance(0.12)
          ? addDays(referenceDate, -rng.int(1, 120))
          : addDays(referenceDate, rng.int(1, 300));
      const kind = rng.pick([
        'Expansion',
        'Renewal',
        'New Business',
        'Proof of Concept',
      ]);
      const line = rng.pick(vocabulary.productLines);
      out.opportunities.push({
        id: `opp-${tenantId}-${pad(out.opportunities.length + 1, 5)}`,
        tenantId,
        accountId,
        name: `${name} - ${line.name} ${kind}`,
        stage,
        amountCents: Math.round(rng.float(5000, 90000) * scale) * 100,
        currency:
          TERRITORY_CURRENCY[territoryId] ?? plan.tenant.defaultCurrency,
        closeDate,
        forecastCategory: forecastFor(stage, rng),
        nextStep:
          !closed && rng.chance(0.85)
            ? rng.pick([
                'Schedule technical deep dive',
                'Send pricing proposal',
                'Executive alignment meeting',
                'Security questionnaire',
                'Finalize order form',
              ])
            : null,
        ownerId:
          rng.chance(0.85) || sellers.length === 0
            ? ownerId
            : rng.pick(sellers),
        version: 1,
        updatedAt: stamp,
        sourceRef: null,
      });
    }

    // 7. Support cases, news and competitors.
    const caseCount = isCustomer ? (anchor ? rng.int(2, 4) : rng.int(0, 4)) : 0;
    for (let c = 0; c < caseCount; c++) {
      const openedAt = addDays(referenceDate, -rng.int(1, 540));
      const status = rng.weighted([
        ['Closed', 60],
        ['Open', 30],
        ['Pending Customer', 10],
      ]);
      out.supportCases.push({
        id: `sc-${tenantId}-${pad(out.supportCases.length + 1, 5)}`,
        tenantId,
        accountId,
        subject: rng.pick(SUPPORT_SUBJECTS),
        severity: rng.weighted<Severity>([
          ['S1', 5],
          ['S2', 20],
          ['S3', 45],
          ['S4', 30],
        ]),
        status,
        productLine: productLines.length > 0 ? rng.pick(productLines) : null,
        openedAt: `${openedAt}T${pad(rng.int(0, 23), 2)}:00:00.000Z`,
        closedAt:
          status === 'Closed'
            ? `${addDays(openedAt, rng.int(0, 30))}T17:00:00.000Z`
            : null,
      });
    }
    const newsCount = anchor ? rng.int(2, 3) : rng.int(0, 3);
    for (let k = 0; k < newsCount; k++) {
      const id = `news-${tenantId}-${pad(out.news.length + 1, 5)}`;
      const headline = rng.pick(NEWS_TEMPLATES).replace('{name}', name);
      out.news.push({
        id,
        tenantId,
        accountId,
        publishedAt: `${addDays(referenceDate, -rng.int(1, 180))}T09:00:00.000Z`,
        headline,
        source: rng.pick(NEWS_SOURCES),
        url: `https://news.example.com/${slug(name)}/${id}`,
      });
    }
    const competitorCount = anchor ? rng.int(1, 2) : rng.int(0, 2);
    for (const competitor of rng.sample(
      vocabulary.competitors,
      competitorCount,
    )) {
      out.competitors.push({
        tenantId,
        accountId,
        competitor,
        productLine: rng.pick(vocabulary.productLines).id,
        notes: rng.pick([
          'Incumbent on analytics workloads',
          'Evaluated in last RFP',
          'Used by a single business unit',
          'Pushing a platform consolidation deal',
        ]),
      });
    }
  }
}

function countryForDomain(domain: string): string | undefined {
  const tlds = Object.entries(COUNTRY_TLDS)
    .filter(([, tld]) => tld !== 'com' && domain.endsWith(`.${tld}`))
    .sort((a, b) => b[1].length - a[1].length);
  return tlds[0]?.[0];
}

/**
 * A SHA-256 over the whole dataset in canonical form: the same seed and
 * options must always give the same digest.
 */
export function datasetDigest(data: GoldDataset): string {
  const hash = createHash('sha256');
  for (const [table, rows] of Object.entries(data)) {
    hash.update(table);
    for (const row of rows as readonly object[])
      hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}
