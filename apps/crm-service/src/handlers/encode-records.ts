import type {
  AccountSummary,
  Contact,
  Money,
  Opportunity,
  SupportCase,
  UseCase,
  User,
} from '@fieldwise/contracts';
import type { AccountIndexEntry } from '../adapters/store/port.js';
import type {
  ContactRecord,
  OpportunityRecord,
  SupportCaseRecord,
  TerritoryRecord,
  UseCaseRecord,
  UserRecord,
} from '../domain/model.js';
import {
  caseStatusToProto,
  opportunityStageToProto,
  severityToProto,
  useCaseStageToProto,
} from './enum-maps.js';

const MICROS = 1_000_000;

/** An amount in whole currency units as `Money` (micros, rounded). */
export function money(amount: number, currencyCode = 'USD'): Money {
  return { currencyCode, amountMicros: Math.round(amount * MICROS) };
}

/** A percentage with one decimal (4.0) as the contract's fraction (0.04); absent stays absent. */
export function growthFraction(pct: number | null): number | undefined {
  return pct === null ? undefined : Math.round(pct * 10) / 1000;
}

/**
 * Win probability by stage. The GOLD model stores no probability; these are
 * the customary Salesforce defaults per stage, so the field is derived and
 * consistent rather than invented per record.
 */
const STAGE_PROBABILITY: Readonly<Record<string, number>> = {
  Prospecting: 10,
  Qualification: 20,
  Discovery: 40,
  Proposal: 60,
  Negotiation: 80,
  'Closed Won': 100,
  'Closed Lost': 0,
};

/** An opportunity as the contract shows it (amount in its own currency). */
export function encodeOpportunity(o: OpportunityRecord): Opportunity {
  return {
    id: o.id,
    accountId: o.accountId,
    name: o.name,
    stage: opportunityStageToProto(o.stage),
    ...(o.amountCents === null
      ? {}
      : { amount: money(o.amountCents / 100, o.currency) }),
    closeDate: o.closeDate ?? '',
    probability: STAGE_PROBABILITY[o.stage] ?? 0,
    ownerUserId: o.ownerId ?? '',
    nextStep: o.nextStep ?? '',
    productLines: [],
    competitors: [],
    version: o.version,
    updatedAt: o.updatedAt,
  };
}

/**
 * A use case as the contract shows it. The GOLD model keeps one blocker
 * text, a monthly revenue estimate (the contract wants annual: ×12) and no
 * category, cloud, owner or opportunity link: the category is the use-case
 * name, which the generator draws from a fixed per-product-line list, so it
 * is comparable across accounts.
 */
export function encodeUseCase(u: UseCaseRecord, sponsorName = ''): UseCase {
  return {
    id: u.id,
    accountId: u.accountId,
    opportunityId: '',
    name: u.name,
    category: u.name,
    description: '',
    productLine: u.productLine,
    cloud: '',
    stage: useCaseStageToProto(u.stage),
    goLiveDate: u.goLiveDate ?? '',
    annualRevenue: money(u.estMonthlyRevenueUsd * 12),
    executiveSponsorContactId: u.executiveSponsorId ?? '',
    executiveSponsorName: sponsorName,
    blockers: u.blockers === null ? [] : [u.blockers],
    ownerUserId: '',
    version: u.version,
    updatedAt: u.updatedAt,
  };
}

/** A support case as the contract shows it. */
export function encodeSupportCase(c: SupportCaseRecord): SupportCase {
  return {
    id: c.id,
    accountId: c.accountId,
    subject: c.subject,
    severity: severityToProto(c.severity),
    status: caseStatusToProto(c.status),
    productLine: c.productLine ?? '',
    openedAt: c.openedAt,
    closedAt: c.closedAt ?? '',
  };
}

/** A contact; the stored full name is split at its first space. */
export function encodeContact(c: ContactRecord): Contact {
  const space = c.name.indexOf(' ');
  return {
    id: c.id,
    accountId: c.accountId,
    firstName: space < 0 ? c.name : c.name.slice(0, space),
    lastName: space < 0 ? '' : c.name.slice(space + 1),
    title: c.title ?? '',
    email: c.email ?? '',
    phone: '',
    isExecutive: c.isExecutive,
  };
}

/** A directory user; `territories` are the ones the caller passes (a manager's team's). */
export function encodeUser(
  u: UserRecord,
  territories: readonly string[] = u.territories,
): User {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    territories: [...territories],
    managerUserId: u.managerId ?? '',
    tenant: u.tenantId,
  };
}

/** An account list entry with its territory's region. */
export function encodeAccountSummary(
  a: AccountIndexEntry,
  regions: ReadonlyMap<string, string>,
): AccountSummary {
  return {
    id: a.id,
    name: a.name,
    domain: a.domain ?? '',
    industry: a.industry ?? '',
    segment: a.segment ?? '',
    territory: a.territoryId,
    region: regions.get(a.territoryId) ?? '',
    ownerUserId: a.ownerId ?? '',
    ownerName: a.ownerName ?? '',
    arr: money(a.arrUsd),
  };
}

/** Territory id → region, for encoding summaries. */
export function regionsOf(
  territories: readonly TerritoryRecord[],
): Map<string, string> {
  return new Map(territories.map((t) => [t.id, t.region]));
}
