import type { Selectable } from 'kysely';
import type {
  AccountRecord,
  CompetitorPresentRecord,
  ConsumptionRecord,
  ContactRecord,
  EmailDraftRecord,
  FieldHistoryRecord,
  NewsItemRecord,
  OpportunityRecord,
  OpportunityStage,
  ProposalRecord,
  Role,
  Severity,
  SupportCaseRecord,
  UseCaseRecord,
  UseCaseStage,
} from '../../domain/model.js';
import type {
  AccountTable,
  CompetitorPresentTable,
  ConsumptionTable,
  ContactTable,
  EmailDraftTable,
  FieldHistoryTable,
  NewsItemTable,
  OpportunityTable,
  ProposalTable,
  SupportCaseTable,
  UseCaseTable,
} from './schema.js';

// PostgreSQL returns bigint and numeric as strings unless parsed; the pool
// parses them, but a number that arrives as a string still reads right.
function num(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

function numOrNull(value: number | string | null): number | null {
  return value === null ? null : num(value);
}

/** Row → record. */
export function toAccount(row: Selectable<AccountTable>): AccountRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    segment: row.segment,
    employees: numOrNull(row.employees),
    country: row.country,
    accountType: row.account_type,
    territoryId: row.territory_id,
    ownerId: row.owner_id,
    arrUsd: num(row.arr_usd),
    createdAt: row.created_at,
    sourceRef: row.source_ref,
  };
}

/** Record → row. */
export function fromAccount(r: AccountRecord): AccountTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    name: r.name,
    domain: r.domain,
    industry: r.industry,
    segment: r.segment,
    employees: r.employees,
    country: r.country,
    account_type: r.accountType,
    territory_id: r.territoryId,
    owner_id: r.ownerId,
    arr_usd: r.arrUsd,
    created_at: r.createdAt,
    source_ref: r.sourceRef,
  };
}

/** Row → record. */
export function toContact(row: Selectable<ContactTable>): ContactRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    name: row.name,
    email: row.email,
    title: row.title,
    isExecutive: num(row.is_executive) === 1,
  };
}

/** Record → row. */
export function fromContact(r: ContactRecord): ContactTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    account_id: r.accountId,
    name: r.name,
    email: r.email,
    title: r.title,
    is_executive: r.isExecutive ? 1 : 0,
  };
}

/** Row → record. */
export function toOpportunity(
  row: Selectable<OpportunityTable>,
): OpportunityRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    name: row.name,
    stage: row.stage as OpportunityStage,
    amountCents: numOrNull(row.amount_cents),
    currency: row.currency,
    closeDate: row.close_date,
    forecastCategory: row.forecast_category,
    nextStep: row.next_step,
    ownerId: row.owner_id,
    version: num(row.version),
    updatedAt: row.updated_at,
    sourceRef: row.source_ref,
  };
}

/** Record → row. */
export function fromOpportunity(r: OpportunityRecord): OpportunityTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    account_id: r.accountId,
    name: r.name,
    stage: r.stage,
    amount_cents: r.amountCents,
    currency: r.currency,
    close_date: r.closeDate,
    forecast_category: r.forecastCategory,
    next_step: r.nextStep,
    owner_id: r.ownerId,
    version: r.version,
    updated_at: r.updatedAt,
    source_ref: r.sourceRef,
  };
}

/** Row → record. */
export function toUseCase(row: Selectable<UseCaseTable>): UseCaseRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    name: row.name,
    productLine: row.product_line,
    stage: row.stage as UseCaseStage,
    isLive: num(row.is_live) === 1,
    estMonthlyRevenueUsd: num(row.est_monthly_revenue_usd),
    goLiveDate: row.go_live_date,
    blockers: row.blockers,
    executiveSponsorId: row.executive_sponsor_id,
    version: num(row.version),
    updatedAt: row.updated_at,
  };
}

/** Record → row. */
export function fromUseCase(r: UseCaseRecord): UseCaseTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    account_id: r.accountId,
    name: r.name,
    product_line: r.productLine,
    stage: r.stage,
    is_live: r.isLive ? 1 : 0,
    est_monthly_revenue_usd: r.estMonthlyRevenueUsd,
    go_live_date: r.goLiveDate,
    blockers: r.blockers,
    executive_sponsor_id: r.executiveSponsorId,
    version: r.version,
    updated_at: r.updatedAt,
  };
}

/** Row → record. */
export function toConsumption(
  row: Selectable<ConsumptionTable>,
): ConsumptionRecord {
  return {
    tenantId: row.tenant_id,
    accountId: row.account_id,
    month: row.month,
    productLine: row.product_line,
    cloud: row.cloud,
    amountUsd: num(row.amount_usd),
  };
}

/** Record → row. */
export function fromConsumption(r: ConsumptionRecord): ConsumptionTable {
  return {
    tenant_id: r.tenantId,
    account_id: r.accountId,
    month: r.month,
    product_line: r.productLine,
    cloud: r.cloud,
    amount_usd: r.amountUsd,
  };
}

/** Row → record. */
export function toSupportCase(
  row: Selectable<SupportCaseTable>,
): SupportCaseRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    subject: row.subject,
    severity: row.severity as Severity,
    status: row.status,
    productLine: row.product_line,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  };
}

/** Record → row. */
export function fromSupportCase(r: SupportCaseRecord): SupportCaseTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    account_id: r.accountId,
    subject: r.subject,
    severity: r.severity,
    status: r.status,
    product_line: r.productLine,
    opened_at: r.openedAt,
    closed_at: r.closedAt,
  };
}

/** Row → record. */
export function toNews(row: Selectable<NewsItemTable>): NewsItemRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    publishedAt: row.published_at,
    headline: row.headline,
    source: row.source,
    url: row.url,
  };
}

/** Record → row. */
export function fromNews(r: NewsItemRecord): NewsItemTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    account_id: r.accountId,
    published_at: r.publishedAt,
    headline: r.headline,
    source: r.source,
    url: r.url,
  };
}

/** Row → record. */
export function toCompetitor(
  row: Selectable<CompetitorPresentTable>,
): CompetitorPresentRecord {
  return {
    tenantId: row.tenant_id,
    accountId: row.account_id,
    competitor: row.competitor,
    productLine: row.product_line,
    notes: row.notes,
  };
}

/** Record → row. */
export function fromCompetitor(
  r: CompetitorPresentRecord,
): CompetitorPresentTable {
  return {
    tenant_id: r.tenantId,
    account_id: r.accountId,
    competitor: r.competitor,
    product_line: r.productLine,
    notes: r.notes,
  };
}

/** Row → record. */
export function toFieldHistory(
  row: Selectable<FieldHistoryTable>,
): FieldHistoryRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    version: num(row.version),
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  };
}

/** Record → row. */
export function fromEmailDraft(r: EmailDraftRecord): EmailDraftTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    account_id: r.accountId,
    contact_id: r.contactId,
    author_id: r.authorId,
    kind: r.kind,
    subject: r.subject,
    body: r.body,
    created_at: r.createdAt,
  };
}

/** Record → row. */
export function fromProposal(r: ProposalRecord): ProposalTable {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    account_id: r.accountId,
    author_id: r.authorId,
    title: r.title,
    markdown: r.markdown,
    html: r.html,
    created_at: r.createdAt,
  };
}

/** Narrows a stored role name. */
export function toRole(role: string): Role {
  return role as Role;
}
