/**
 * The GOLD tables as Kysely sees them. Both dialects share one schema:
 * dates are ISO-8601 text, flags are 0/1 integers and money is an integer
 * (`*_cents` or whole `*_usd`), so the same row reads back identically from
 * SQLite and PostgreSQL.
 */
export interface CrmDatabase {
  schema_migrations: SchemaMigrationTable;
  tenants: TenantTable;
  territories: TerritoryTable;
  users: UserTable;
  user_territories: UserTerritoryTable;
  accounts: AccountTable;
  contacts: ContactTable;
  opportunities: OpportunityTable;
  use_cases: UseCaseTable;
  consumption_monthly: ConsumptionTable;
  support_cases: SupportCaseTable;
  news_items: NewsItemTable;
  competitors_present: CompetitorPresentTable;
  field_history: FieldHistoryTable;
  email_drafts: EmailDraftTable;
  proposals: ProposalTable;
  idempotency_records: IdempotencyTable;
}

/** One applied migration. */
export interface SchemaMigrationTable {
  version: number;
  name: string;
  applied_at: string;
}

/** A customer organisation using Fieldwise; every other row belongs to one. */
export interface TenantTable {
  id: string;
  name: string;
  default_currency: string;
}

/** A sales territory of one tenant; `default_owner_id` owns orphaned records. */
export interface TerritoryTable {
  tenant_id: string;
  id: string;
  name: string;
  region: string;
  default_owner_id: string | null;
}

/** A person who signs in: seller, manager, admin, auditor or content manager. */
export interface UserTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: string;
  manager_id: string | null;
}

/** Which territories a user covers (sellers and managers). */
export interface UserTerritoryTable {
  user_id: string;
  tenant_id: string;
  territory_id: string;
}

/** A customer or prospect account. */
export interface AccountTable {
  id: string;
  tenant_id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  segment: string | null;
  employees: number | null;
  country: string | null;
  account_type: string | null;
  territory_id: string;
  owner_id: string | null;
  arr_usd: number;
  created_at: string | null;
  source_ref: string | null;
}

/** A person at an account. */
export interface ContactTable {
  id: string;
  tenant_id: string;
  account_id: string;
  name: string;
  email: string | null;
  title: string | null;
  is_executive: number;
}

/** A sales opportunity; `version` drives optimistic concurrency. */
export interface OpportunityTable {
  id: string;
  tenant_id: string;
  account_id: string;
  name: string;
  stage: string;
  amount_cents: number | null;
  currency: string;
  close_date: string | null;
  forecast_category: string | null;
  next_step: string | null;
  owner_id: string | null;
  version: number;
  updated_at: string;
  source_ref: string | null;
}

/** A customer use case of one product line; `version` drives optimistic concurrency. */
export interface UseCaseTable {
  id: string;
  tenant_id: string;
  account_id: string;
  name: string;
  product_line: string;
  stage: string;
  is_live: number;
  est_monthly_revenue_usd: number;
  go_live_date: string | null;
  blockers: string | null;
  executive_sponsor_id: string | null;
  version: number;
  updated_at: string;
}

/** Spend of one account on one product line in one cloud for one month (`YYYY-MM`). */
export interface ConsumptionTable {
  tenant_id: string;
  account_id: string;
  month: string;
  product_line: string;
  cloud: string;
  amount_usd: number;
}

/** A support case; severity S1 (worst) to S4. */
export interface SupportCaseTable {
  id: string;
  tenant_id: string;
  account_id: string;
  subject: string;
  severity: string;
  status: string;
  product_line: string | null;
  opened_at: string;
  closed_at: string | null;
}

/** A news item about an account. */
export interface NewsItemTable {
  id: string;
  tenant_id: string;
  account_id: string;
  published_at: string;
  headline: string;
  source: string;
  url: string;
}

/** A competitor seen at an account. */
export interface CompetitorPresentTable {
  tenant_id: string;
  account_id: string;
  competitor: string;
  product_line: string | null;
  notes: string | null;
}

/** One field change, written in the same transaction as the change itself. */
export interface FieldHistoryTable {
  id: string;
  tenant_id: string;
  entity_type: string;
  entity_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  version: number;
  changed_by: string;
  changed_at: string;
}

/** A drafted (never sent) email. */
export interface EmailDraftTable {
  id: string;
  tenant_id: string;
  account_id: string;
  contact_id: string | null;
  author_id: string;
  kind: string;
  subject: string;
  body: string;
  created_at: string;
}

/** A rendered proposal document. */
export interface ProposalTable {
  id: string;
  tenant_id: string;
  account_id: string;
  author_id: string;
  title: string;
  markdown: string;
  html: string;
  created_at: string;
}

/** The first result of an idempotent write, replayed for the same key. */
export interface IdempotencyTable {
  tenant_id: string;
  idem_key: string;
  operation: string;
  user_id: string;
  request_hash: string;
  response_json: string;
  created_at: string;
}
