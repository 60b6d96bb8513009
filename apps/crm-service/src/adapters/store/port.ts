import type {
  AccessScope,
  AccountRecord,
  CompetitorPresentRecord,
  ConsumptionRecord,
  ContactRecord,
  EmailDraftRecord,
  FieldHistoryRecord,
  GoldDataset,
  NewsItemRecord,
  OpportunityRecord,
  ProposalRecord,
  SupportCaseRecord,
  TenantRecord,
  TerritoryRecord,
  UseCaseRecord,
  UserRecord,
} from '../../domain/model.js';

/** A light account row for listing and fuzzy matching. */
export interface AccountIndexEntry {
  readonly id: string;
  readonly name: string;
  readonly domain: string | null;
  readonly territoryId: string;
  readonly industry: string | null;
  readonly segment: string | null;
  readonly employees: number | null;
  readonly arrUsd: number;
  readonly ownerId: string | null;
  readonly ownerName: string | null;
  readonly ownerEmail: string | null;
}

/** Filters for opportunity lists; all optional and combined with AND. */
export interface OpportunityFilter {
  readonly accountId?: string;
  /** true: only stages other than Closed Won / Closed Lost. */
  readonly openOnly?: boolean;
  /** Only close dates strictly before this ISO date. */
  readonly closeDateBefore?: string;
}

/** Filters for use-case lists; all optional and combined with AND. */
export interface UseCaseFilter {
  readonly accountId?: string;
  readonly live?: boolean;
  /** Inclusive ISO date bounds on the go-live date. */
  readonly goLiveFrom?: string;
  readonly goLiveTo?: string;
}

/** Filters for consumption rows; months are `YYYY-MM`, inclusive. */
export interface ConsumptionFilter {
  readonly accountId?: string;
  readonly fromMonth?: string;
  readonly toMonth?: string;
}

/** Spend of one account on one product line, summed over a month range. */
export interface ConsumptionTotal {
  readonly accountId: string;
  readonly productLine: string;
  readonly amountUsd: number;
}

/** Filters for support cases. */
export interface SupportCaseFilter {
  readonly accountId?: string;
  readonly openOnly?: boolean;
  /** Only cases opened on or after this ISO timestamp. */
  readonly openedSince?: string;
}

/** The records `updateField` may change. */
export type UpdatableEntity = 'opportunity' | 'use_case';

/** An idempotency key with the hash of the request it was first used for. */
export interface IdempotencyKey {
  readonly key: string;
  readonly requestHash: string;
}

/** One field change, already validated and converted to its column value. */
export interface FieldUpdateCommand {
  readonly entity: UpdatableEntity;
  readonly id: string;
  /** The public field name (recorded in history). */
  readonly field: string;
  /** The column it maps to. */
  readonly column: string;
  readonly value: string | number | null;
  readonly expectedVersion: number;
  readonly actorId: string;
  readonly at: string;
  readonly idempotency?: IdempotencyKey;
  /** Extra columns that follow from the change (e.g. `is_live` with a stage). */
  readonly derived?: Readonly<Record<string, string | number | null>>;
}

/** A field change as committed, handed to `onChange` inside the transaction. */
export interface FieldChange {
  readonly tenant: string;
  readonly entity: UpdatableEntity;
  readonly id: string;
  readonly accountId: string;
  readonly field: string;
  readonly before: string | number | null;
  readonly after: string | number | null;
  readonly version: number;
  readonly actorId: string;
  readonly at: string;
}

/** The result of `updateField`; `replayed` is true when an idempotency key matched. */
export interface FieldUpdateResult {
  readonly change: FieldChange;
  readonly replayed: boolean;
}

/**
 * Called inside the write transaction after the change and its history row
 * are written; throwing rolls everything back. The service appends its audit
 * event here so the change and the event commit together or not at all.
 */
export type ChangeHook = (change: FieldChange) => Promise<void> | void;

/** The result of an idempotent insert. */
export interface InsertResult<T> {
  readonly record: T;
  readonly replayed: boolean;
}

/** Rows an import loads; upserted by id. */
export interface ImportBatch {
  readonly accounts: readonly AccountRecord[];
  readonly opportunities: readonly OpportunityRecord[];
}

/**
 * The crm-service's relational store. Every read that takes an
 * `AccessScope` filters by it in SQL: rows outside the scope are never
 * fetched, and an out-of-scope id reads as `undefined`, like a missing one.
 * Scoped writes throw `NotFoundError` when the record is absent from the
 * tenant, `PermissionDeniedError` when it exists outside the scope, and a
 * `CONFLICT` error (with `currentVersion` and `currentValue` in its context)
 * when `expectedVersion` is stale.
 */
export interface CrmStore {
  /** `sqlite` or `postgres`: which adapter this is. */
  readonly kind: string;

  /** Inserts a dataset in one transaction; fails whole if any row is rejected. */
  insertDataset(data: GoldDataset): Promise<void>;
  /** Upserts imported accounts and opportunities (by id) in one transaction. */
  upsertImport(batch: ImportBatch): Promise<void>;

  getTenant(tenant: string): Promise<TenantRecord | undefined>;
  listTerritories(tenant: string): Promise<TerritoryRecord[]>;
  findUser(tenant: string, userId: string): Promise<UserRecord | undefined>;
  /** Users of a tenant, optionally only those reporting to `managerId`. */
  listUsers(tenant: string, managerId?: string): Promise<UserRecord[]>;

  /** Counts the rows of each GOLD table for one tenant (unscoped; for seeding reports and tests). */
  countRows(tenant: string): Promise<Record<string, number>>;

  listAccountIndex(scope: AccessScope): Promise<AccountIndexEntry[]>;
  getAccount(
    scope: AccessScope,
    id: string,
  ): Promise<AccountRecord | undefined>;
  listContacts(scope: AccessScope, accountId: string): Promise<ContactRecord[]>;
  getContact(
    scope: AccessScope,
    id: string,
  ): Promise<ContactRecord | undefined>;
  listOpportunities(
    scope: AccessScope,
    filter: OpportunityFilter,
  ): Promise<OpportunityRecord[]>;
  getOpportunity(
    scope: AccessScope,
    id: string,
  ): Promise<OpportunityRecord | undefined>;
  listUseCases(
    scope: AccessScope,
    filter: UseCaseFilter,
  ): Promise<UseCaseRecord[]>;
  getUseCase(
    scope: AccessScope,
    id: string,
  ): Promise<UseCaseRecord | undefined>;
  listConsumption(
    scope: AccessScope,
    filter: ConsumptionFilter,
  ): Promise<ConsumptionRecord[]>;
  /** Spend per visible account and product line over a month range, summed in SQL. */
  consumptionTotals(
    scope: AccessScope,
    fromMonth: string,
    toMonth: string,
  ): Promise<ConsumptionTotal[]>;
  listSupportCases(
    scope: AccessScope,
    filter: SupportCaseFilter,
  ): Promise<SupportCaseRecord[]>;
  listNews(
    scope: AccessScope,
    accountId: string,
    limit: number,
  ): Promise<NewsItemRecord[]>;
  listCompetitors(
    scope: AccessScope,
    accountId: string,
  ): Promise<CompetitorPresentRecord[]>;
  listFieldHistory(
    scope: AccessScope,
    entity: UpdatableEntity,
    id: string,
  ): Promise<FieldHistoryRecord[]>;

  /**
   * Changes one column of an opportunity or use case: checks scope and
   * `expectedVersion`, bumps `version`, writes a field-history row, calls
   * `onChange`, and records the result under the idempotency key, all in
   * one transaction. A replayed key returns the first result and changes
   * nothing; the same key with a different request is a `CONFLICT`.
   */
  updateField(
    scope: AccessScope,
    command: FieldUpdateCommand,
    onChange?: ChangeHook,
  ): Promise<FieldUpdateResult>;
  /**
   * Resolves whether `scope` may write to an account: returns normally when
   * it may, throws `NotFoundError` when the tenant has no such account and
   * `PermissionDeniedError` when it exists outside the scope.
   */
  checkAccountWrite(scope: AccessScope, accountId: string): Promise<void>;
  /** Stores a draft for a visible account (scoped write rules apply). */
  insertEmailDraft(
    scope: AccessScope,
    draft: EmailDraftRecord,
    idempotency?: IdempotencyKey,
  ): Promise<InsertResult<EmailDraftRecord>>;
  /** Stores a proposal for a visible account (scoped write rules apply). */
  insertProposal(
    scope: AccessScope,
    proposal: ProposalRecord,
    idempotency?: IdempotencyKey,
  ): Promise<InsertResult<ProposalRecord>>;

  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
