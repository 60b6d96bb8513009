/** Opportunity stages in pipeline order; the two closed stages end it. */
export const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Discovery',
  'Proposal',
  'Negotiation',
  'Closed Won',
  'Closed Lost',
] as const;
/** A canonical opportunity stage. */
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];

/** True for stages that no longer move. */
export function isClosedStage(stage: string): boolean {
  return stage === 'Closed Won' || stage === 'Closed Lost';
}

/** Salesforce-style forecast categories. */
export const FORECAST_CATEGORIES = [
  'Pipeline',
  'Best Case',
  'Commit',
  'Closed',
  'Omitted',
] as const;
/** A canonical forecast category. */
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** Use-case stages; `Live` is the only one with `isLive`. */
export const USE_CASE_STAGES = [
  'Scoping',
  'Technical Validation',
  'Implementation',
  'Live',
  'Paused',
] as const;
/** A canonical use-case stage. */
export type UseCaseStage = (typeof USE_CASE_STAGES)[number];

/** Support case severities, S1 the most urgent. */
export const SEVERITIES = ['S1', 'S2', 'S3', 'S4'] as const;
/** A support case severity. */
export type Severity = (typeof SEVERITIES)[number];

/** Support case statuses; only `Closed` is not open. */
export const SUPPORT_STATUSES = ['Open', 'Pending Customer', 'Closed'] as const;

/** User roles as stored; principals carry the same names. */
export const ROLES = [
  'seller',
  'manager',
  'admin',
  'auditor',
  'content-manager',
] as const;
/** A user role. */
export type Role = (typeof ROLES)[number];

/** ISO 4217 codes the GOLD model accepts. */
export const CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'AUD',
  'CAD',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'INR',
  'SGD',
  'BRL',
  'MXN',
  'CLP',
  'IDR',
  'NZD',
] as const;

/** A tenant. */
export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly defaultCurrency: string;
}

/** A territory of a tenant. */
export interface TerritoryRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly defaultOwnerId: string | null;
}

/** A user with the territories they cover. */
export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly managerId: string | null;
  readonly territories: readonly string[];
}

/** An account as stored. */
export interface AccountRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly domain: string | null;
  readonly industry: string | null;
  readonly segment: string | null;
  readonly employees: number | null;
  readonly country: string | null;
  readonly accountType: string | null;
  readonly territoryId: string;
  readonly ownerId: string | null;
  readonly arrUsd: number;
  readonly createdAt: string | null;
  readonly sourceRef: string | null;
}

/** A contact at an account. */
export interface ContactRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly name: string;
  readonly email: string | null;
  readonly title: string | null;
  readonly isExecutive: boolean;
}

/** An opportunity as stored. */
export interface OpportunityRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly name: string;
  readonly stage: OpportunityStage;
  readonly amountCents: number | null;
  readonly currency: string;
  readonly closeDate: string | null;
  readonly forecastCategory: string | null;
  readonly nextStep: string | null;
  readonly ownerId: string | null;
  readonly version: number;
  readonly updatedAt: string;
  readonly sourceRef: string | null;
}

/** A use case as stored. */
export interface UseCaseRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly name: string;
  readonly productLine: string;
  readonly stage: UseCaseStage;
  readonly isLive: boolean;
  readonly estMonthlyRevenueUsd: number;
  readonly goLiveDate: string | null;
  readonly blockers: string | null;
  readonly executiveSponsorId: string | null;
  readonly version: number;
  readonly updatedAt: string;
}

/** Spend of one account on one product line in one cloud for one month. */
export interface ConsumptionRecord {
  readonly tenantId: string;
  readonly accountId: string;
  readonly month: string;
  readonly productLine: string;
  readonly cloud: string;
  readonly amountUsd: number;
}

/** A support case. */
export interface SupportCaseRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly subject: string;
  readonly severity: Severity;
  readonly status: string;
  readonly productLine: string | null;
  readonly openedAt: string;
  readonly closedAt: string | null;
}

/** A news item about an account. */
export interface NewsItemRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly publishedAt: string;
  readonly headline: string;
  readonly source: string;
  readonly url: string;
}

/** A competitor present at an account. */
export interface CompetitorPresentRecord {
  readonly tenantId: string;
  readonly accountId: string;
  readonly competitor: string;
  readonly productLine: string | null;
  readonly notes: string | null;
}

/** A recorded field change. */
export interface FieldHistoryRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly field: string;
  readonly oldValue: string | null;
  readonly newValue: string | null;
  readonly version: number;
  readonly changedBy: string;
  readonly changedAt: string;
}

/** A stored email draft. */
export interface EmailDraftRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly contactId: string | null;
  readonly authorId: string;
  readonly kind: string;
  readonly subject: string;
  readonly body: string;
  readonly createdAt: string;
}

/** A stored proposal. */
export interface ProposalRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly authorId: string;
  readonly title: string;
  readonly markdown: string;
  readonly html: string;
  readonly createdAt: string;
}

/** A whole GOLD dataset (or a slice of one) ready for a bulk insert. */
export interface GoldDataset {
  readonly tenants: readonly TenantRecord[];
  readonly territories: readonly TerritoryRecord[];
  readonly users: readonly UserRecord[];
  readonly accounts: readonly AccountRecord[];
  readonly contacts: readonly ContactRecord[];
  readonly opportunities: readonly OpportunityRecord[];
  readonly useCases: readonly UseCaseRecord[];
  readonly consumption: readonly ConsumptionRecord[];
  readonly supportCases: readonly SupportCaseRecord[];
  readonly news: readonly NewsItemRecord[];
  readonly competitors: readonly CompetitorPresentRecord[];
}

/**
 * What a caller may see, resolved from the verified principal and the users
 * table: one tenant and either every territory of it or an explicit list.
 * Stores apply it in the WHERE clause of every query.
 */
export interface AccessScope {
  readonly tenant: string;
  readonly userId: string;
  readonly territories: readonly string[] | 'all';
}
