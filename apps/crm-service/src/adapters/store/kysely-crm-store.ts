import {
  FieldwiseError,
  NotFoundError,
  PermissionDeniedError,
} from '@fieldwise/errors';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
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
import type {
  AccountIndexEntry,
  ChangeHook,
  ConsumptionFilter,
  ConsumptionTotal,
  CrmStore,
  FieldChange,
  FieldUpdateCommand,
  FieldUpdateResult,
  IdempotencyKey,
  ImportBatch,
  InsertResult,
  OpportunityFilter,
  SupportCaseFilter,
  UpdatableEntity,
  UseCaseFilter,
} from './port.js';
import {
  fromAccount,
  fromCompetitor,
  fromConsumption,
  fromContact,
  fromEmailDraft,
  fromNews,
  fromOpportunity,
  fromProposal,
  fromSupportCase,
  fromUseCase,
  toAccount,
  toCompetitor,
  toConsumption,
  toContact,
  toFieldHistory,
  toNews,
  toOpportunity,
  toRole,
  toSupportCase,
  toUseCase,
} from './row-mappers.js';
import type { CrmDatabase } from './schema.js';

/** The columns `updateField` may write, per entity: a second gate behind the domain allow-list. */
const UPDATABLE_COLUMNS: Record<UpdatableEntity, ReadonlySet<string>> = {
  opportunity: new Set([
    'stage',
    'amount_cents',
    'currency',
    'close_date',
    'forecast_category',
    'next_step',
    'name',
  ]),
  use_case: new Set([
    'stage',
    'is_live',
    'est_monthly_revenue_usd',
    'go_live_date',
    'blockers',
    'executive_sponsor_id',
    'name',
  ]),
};

const ENTITY_TABLE = {
  opportunity: 'opportunities',
  use_case: 'use_cases',
} as const;

/** Tables counted by `countRows`, in dependency order. */
const TENANT_TABLES = [
  'territories',
  'users',
  'accounts',
  'contacts',
  'opportunities',
  'use_cases',
  'consumption_monthly',
  'support_cases',
  'news_items',
  'competitors_present',
  'field_history',
  'email_drafts',
  'proposals',
  'idempotency_records',
] as const;

/**
 * The SQL condition "this row of `alias` (an accounts alias) is visible in
 * `scope`": same tenant and, unless the scope is tenant-wide, one of its
 * territories. An empty territory list matches nothing.
 */
export function accountInScope(
  scope: AccessScope,
  alias: string,
): RawBuilder<SqlBool> {
  const tenant = sql<SqlBool>`${sql.ref(`${alias}.tenant_id`)} = ${scope.tenant}`;
  if (scope.territories === 'all') return tenant;
  if (scope.territories.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${tenant} and ${sql.ref(`${alias}.territory_id`)} in (${sql.join([...scope.territories])}))`;
}

function territoryVisible(scope: AccessScope, territory: string): boolean {
  return scope.territories === 'all' || scope.territories.includes(territory);
}

function conflict(
  message: string,
  context: Record<string, string | number | boolean>,
): FieldwiseError {
  return new FieldwiseError('CONFLICT', message, { context });
}

function chunk<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Rows per multi-row INSERT: under SQLite's 32,766 bound variables. */
function batchSize(columns: number): number {
  return Math.max(1, Math.min(1000, Math.floor(30_000 / columns)));
}

/** Dialect-specific behaviour the shared store needs. */
export interface DialectHooks {
  /** True when `error` is a unique-key violation (a concurrent insert won). */
  isUniqueViolation(error: unknown): boolean;
}

/**
 * The one implementation of `CrmStore`, written once against Kysely; the
 * SQLite and PostgreSQL adapters differ only in how they open the
 * connection, migrate, and recognise a unique violation.
 */
export class KyselyCrmStore implements CrmStore {
  constructor(
    readonly kind: string,
    protected readonly db: Kysely<CrmDatabase>,
    private readonly hooks: DialectHooks,
  ) {}

  async insertDataset(data: GoldDataset): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const insert = async <T extends keyof CrmDatabase>(
        table: T,
        rows: readonly CrmDatabase[T][],
      ): Promise<void> => {
        const first = rows[0];
        if (first === undefined) return;
        const size = batchSize(Object.keys(first).length);
        for (const part of chunk(rows, size)) {
          // Kysely's insert typing cannot follow a generic table parameter;
          // the rows are typed by CrmDatabase[T] above.
          await trx
            .insertInto(table)
            .values(part as never)
            .execute();
        }
      };
      await insert(
        'tenants',
        data.tenants.map((t) => ({
          id: t.id,
          name: t.name,
          default_currency: t.defaultCurrency,
        })),
      );
      await insert(
        'territories',
        data.territories.map((t) => ({
          tenant_id: t.tenantId,
          id: t.id,
          name: t.name,
          region: t.region,
          default_owner_id: t.defaultOwnerId,
        })),
      );
      await insert(
        'users',
        data.users.map((u) => ({
          id: u.id,
          tenant_id: u.tenantId,
          email: u.email,
          name: u.name,
          role: u.role,
          manager_id: u.managerId,
        })),
      );
      await insert(
        'user_territories',
        data.users.flatMap((u) =>
          u.territories.map((territory) => ({
            user_id: u.id,
            tenant_id: u.tenantId,
            territory_id: territory,
          })),
        ),
      );
      await insert('accounts', data.accounts.map(fromAccount));
      await insert('contacts', data.contacts.map(fromContact));
      await insert('opportunities', data.opportunities.map(fromOpportunity));
      await insert('use_cases', data.useCases.map(fromUseCase));
      await insert(
        'consumption_monthly',
        data.consumption.map(fromConsumption),
      );
      await insert('support_cases', data.supportCases.map(fromSupportCase));
      await insert('news_items', data.news.map(fromNews));
      await insert('competitors_present', data.competitors.map(fromCompetitor));
    });
  }

  async upsertImport(batch: ImportBatch): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunk(batch.accounts.map(fromAccount), 200)) {
        await trx
          .insertInto('accounts')
          .values(part)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              domain: eb.ref('excluded.domain'),
              industry: eb.ref('excluded.industry'),
              segment: eb.ref('excluded.segment'),
              employees: eb.ref('excluded.employees'),
              country: eb.ref('excluded.country'),
              account_type: eb.ref('excluded.account_type'),
              territory_id: eb.ref('excluded.territory_id'),
              owner_id: eb.ref('excluded.owner_id'),
              arr_usd: eb.ref('excluded.arr_usd'),
              created_at: eb.ref('excluded.created_at'),
              source_ref: eb.ref('excluded.source_ref'),
            })),
          )
          .execute();
      }
      for (const part of chunk(batch.opportunities.map(fromOpportunity), 200)) {
        await trx
          .insertInto('opportunities')
          .values(part)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              account_id: eb.ref('excluded.account_id'),
              name: eb.ref('excluded.name'),
              stage: eb.ref('excluded.stage'),
              amount_cents: eb.ref('excluded.amount_cents'),
              currency: eb.ref('excluded.currency'),
              close_date: eb.ref('excluded.close_date'),
              forecast_category: eb.ref('excluded.forecast_category'),
              next_step: eb.ref('excluded.next_step'),
              owner_id: eb.ref('excluded.owner_id'),
              updated_at: eb.ref('excluded.updated_at'),
              source_ref: eb.ref('excluded.source_ref'),
              version: sql<number>`opportunities.version + 1`,
            })),
          )
          .execute();
      }
    });
  }

  async getTenant(tenant: string): Promise<TenantRecord | undefined> {
    const row = await this.db
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', tenant)
      .executeTakeFirst();
    return row
      ? { id: row.id, name: row.name, defaultCurrency: row.default_currency }
      : undefined;
  }

  async listTerritories(tenant: string): Promise<TerritoryRecord[]> {
    const rows = await this.db
      .selectFrom('territories')
      .selectAll()
      .where('tenant_id', '=', tenant)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      id: r.id,
      name: r.name,
      region: r.region,
      defaultOwnerId: r.default_owner_id,
    }));
  }

  async findUser(
    tenant: string,
    userId: string,
  ): Promise<UserRecord | undefined> {
    const users = await this.loadUsers(tenant, { userId });
    return users[0];
  }

  async listUsers(tenant: string, managerId?: string): Promise<UserRecord[]> {
    return this.loadUsers(tenant, managerId === undefined ? {} : { managerId });
  }

  private async loadUsers(
    tenant: string,
    filter: { userId?: string; managerId?: string },
  ): Promise<UserRecord[]> {
    let query = this.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenant);
    if (filter.userId !== undefined)
      query = query.where('id', '=', filter.userId);
    if (filter.managerId !== undefined) {
      query = query.where('manager_id', '=', filter.managerId);
    }
    const rows = await query.orderBy('id').execute();
    if (rows.length === 0) return [];
    const territories = await this.db
      .selectFrom('user_territories')
      .select(['user_id', 'territory_id'])
      .where('tenant_id', '=', tenant)
      .where(
        'user_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('territory_id')
      .execute();
    const byUser = new Map<string, string[]>();
    for (const t of territories) {
      const list = byUser.get(t.user_id) ?? [];
      list.push(t.territory_id);
      byUser.set(t.user_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      email: r.email,
      name: r.name,
      role: toRole(r.role),
      managerId: r.manager_id,
      territories: byUser.get(r.id) ?? [],
    }));
  }

  async countRows(tenant: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TENANT_TABLES) {
      const row = await this.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenant)
        .executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return counts;
  }

  async listAccountIndex(scope: AccessScope): Promise<AccountIndexEntry[]> {
    const rows = await this.db
      .selectFrom('accounts as a')
      .leftJoin('users as u', 'u.id', 'a.owner_id')
      .select([
        'a.id',
        'a.name',
        'a.domain',
        'a.territory_id',
        'a.industry',
        'a.segment',
        'a.employees',
        'a.arr_usd',
        'a.owner_id',
        'u.name as owner_name',
        'u.email as owner_email',
      ])
      .where(accountInScope(scope, 'a'))
      .orderBy('a.name')
      .orderBy('a.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      domain: r.domain,
      territoryId: r.territory_id,
      industry: r.industry,
      segment: r.segment,
      employees: r.employees === null ? null : Number(r.employees),
      arrUsd: Number(r.arr_usd),
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      ownerEmail: r.owner_email,
    }));
  }

  async getAccount(
    scope: AccessScope,
    id: string,
  ): Promise<AccountRecord | undefined> {
    const row = await this.db
      .selectFrom('accounts as a')
      .selectAll('a')
      .where('a.id', '=', id)
      .where(accountInScope(scope, 'a'))
      .executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async listContacts(
    scope: AccessScope,
    accountId: string,
  ): Promise<ContactRecord[]> {
    const rows = await this.db
      .selectFrom('contacts as c')
      .innerJoin('accounts as a', 'a.id', 'c.account_id')
      .selectAll('c')
      .where('c.account_id', '=', accountId)
      .where('c.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'))
      .orderBy('c.id')
      .execute();
    return rows.map(toContact);
  }

  async getContact(
    scope: AccessScope,
    id: string,
  ): Promise<ContactRecord | undefined> {
    const row = await this.db
      .selectFrom('contacts as c')
      .innerJoin('accounts as a', 'a.id', 'c.account_id')
      .selectAll('c')
      .where('c.id', '=', id)
      .where('c.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'))
      .executeTakeFirst();
    return row ? toContact(row) : undefined;
  }

  async listOpportunities(
    scope: AccessScope,
    filter: OpportunityFilter,
  ): Promise<OpportunityRecord[]> {
    let query = this.db
      .selectFrom('opportunities as o')
      .innerJoin('accounts as a', 'a.id', 'o.account_id')
      .selectAll('o')
      .where('o.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'));
    if (filter.accountId !== undefined) {
      query = query.where('o.account_id', '=', filter.accountId);
    }
    if (filter.openOnly === true) {
      query = query.where('o.stage', 'not in', ['Closed Won', 'Closed Lost']);
    }
    if (filter.closeDateBefore !== undefined) {
      query = query.where('o.close_date', '<', filter.closeDateBefore);
    }
    const rows = await query.orderBy('o.close_date').orderBy('o.id').execute();
    return rows.map(toOpportunity);
  }

  async getOpportunity(
    scope: AccessScope,
    id: string,
  ): Promise<OpportunityRecord | undefined> {
    const row = await this.db
      .selectFrom('opportunities as o')
      .innerJoin('accounts as a', 'a.id', 'o.account_id')
      .selectAll('o')
      .where('o.id', '=', id)
      .where('o.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'))
      .executeTakeFirst();
    return row ? toOpportunity(row) : undefined;
  }

  async listUseCases(
    scope: AccessScope,
    filter: UseCaseFilter,
  ): Promise<UseCaseRecord[]> {
    let query = this.db
      .selectFrom('use_cases as uc')
      .innerJoin('accounts as a', 'a.id', 'uc.account_id')
      .selectAll('uc')
      .where('uc.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'));
    if (filter.accountId !== undefined) {
      query = query.where('uc.account_id', '=', filter.accountId);
    }
    if (filter.live !== undefined) {
      query = query.where('uc.is_live', '=', filter.live ? 1 : 0);
    }
    if (filter.goLiveFrom !== undefined) {
      query = query.where('uc.go_live_date', '>=', filter.goLiveFrom);
    }
    if (filter.goLiveTo !== undefined) {
      query = query.where('uc.go_live_date', '<=', filter.goLiveTo);
    }
    const rows = await query
      .orderBy('uc.est_monthly_revenue_usd', 'desc')
      .orderBy('uc.id')
      .execute();
    return rows.map(toUseCase);
  }

  async getUseCase(
    scope: AccessScope,
    id: string,
  ): Promise<UseCaseRecord | undefined> {
    const row = await this.db
      .selectFrom('use_cases as uc')
      .innerJoin('accounts as a', 'a.id', 'uc.account_id')
      .selectAll('uc')
      .where('uc.id', '=', id)
      .where('uc.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'))
      .executeTakeFirst();
    return row ? toUseCase(row) : undefined;
  }

  async listConsumption(
    scope: AccessScope,
    filter: ConsumptionFilter,
  ): Promise<ConsumptionRecord[]> {
    let query = this.db
      .selectFrom('consumption_monthly as c')
      .innerJoin('accounts as a', 'a.id', 'c.account_id')
      .selectAll('c')
      .where('c.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'));
    if (filter.accountId !== undefined) {
      query = query.where('c.account_id', '=', filter.accountId);
    }
    if (filter.fromMonth !== undefined) {
      query = query.where('c.month', '>=', filter.fromMonth);
    }
    if (filter.toMonth !== undefined) {
      query = query.where('c.month', '<=', filter.toMonth);
    }
    const rows = await query
      .orderBy('c.month')
      .orderBy('c.product_line')
      .orderBy('c.cloud')
      .orderBy('c.account_id')
      .execute();
    return rows.map(toConsumption);
  }

  async consumptionTotals(
    scope: AccessScope,
    fromMonth: string,
    toMonth: string,
  ): Promise<ConsumptionTotal[]> {
    const rows = await this.db
      .selectFrom('consumption_monthly as c')
      .innerJoin('accounts as a', 'a.id', 'c.account_id')
      .select((eb) => [
        'c.account_id',
        'c.product_line',
        eb.fn.sum<number>('c.amount_usd').as('total'),
      ])
      .where('c.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'))
      .where('c.month', '>=', fromMonth)
      .where('c.month', '<=', toMonth)
      .groupBy(['c.account_id', 'c.product_line'])
      .orderBy('c.account_id')
      .orderBy('c.product_line')
      .execute();
    return rows.map((r) => ({
      accountId: r.account_id,
      productLine: r.product_line,
      amountUsd: Number(r.total),
    }));
  }

  async listSupportCases(
    scope: AccessScope,
    filter: SupportCaseFilter,
  ): Promise<SupportCaseRecord[]> {
    let query = this.db
      .selectFrom('support_cases as s')
      .innerJoin('accounts as a', 'a.id', 's.account_id')
      .selectAll('s')
      .where('s.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'));
    if (filter.accountId !== undefined) {
      query = query.where('s.account_id', '=', filter.accountId);
    }
    if (filter.openOnly === true)
      query = query.where('s.status', '!=', 'Closed');
    if (filter.openedSince !== undefined) {
      query = query.where('s.opened_at', '>=', filter.openedSince);
    }
    const rows = await query
      .orderBy('s.severity')
      .orderBy('s.opened_at', 'desc')
      .orderBy('s.id')
      .execute();
    return rows.map(toSupportCase);
  }

  async listNews(
    scope: AccessScope,
    accountId: string,
    limit: number,
  ): Promise<NewsItemRecord[]> {
    const rows = await this.db
      .selectFrom('news_items as n')
      .innerJoin('accounts as a', 'a.id', 'n.account_id')
      .selectAll('n')
      .where('n.account_id', '=', accountId)
      .where('n.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'))
      .orderBy('n.published_at', 'desc')
      .orderBy('n.id')
      .limit(limit)
      .execute();
    return rows.map(toNews);
  }

  async listCompetitors(
    scope: AccessScope,
    accountId: string,
  ): Promise<CompetitorPresentRecord[]> {
    const rows = await this.db
      .selectFrom('competitors_present as cp')
      .innerJoin('accounts as a', 'a.id', 'cp.account_id')
      .selectAll('cp')
      .where('cp.account_id', '=', accountId)
      .where('cp.tenant_id', '=', scope.tenant)
      .where(accountInScope(scope, 'a'))
      .orderBy('cp.competitor')
      .execute();
    return rows.map(toCompetitor);
  }

  async listFieldHistory(
    scope: AccessScope,
    entity: UpdatableEntity,
    id: string,
  ): Promise<FieldHistoryRecord[]> {
    const table = ENTITY_TABLE[entity];
    const rows = await this.db
      .selectFrom('field_history as h')
      .selectAll('h')
      .where('h.tenant_id', '=', scope.tenant)
      .where('h.entity_type', '=', entity)
      .where('h.entity_id', '=', id)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom(`${table} as r` as 'opportunities as r')
            .innerJoin('accounts as a', 'a.id', 'r.account_id')
            .select('r.id')
            .where('r.id', '=', id)
            .where(accountInScope(scope, 'a')),
        ),
      )
      .orderBy('h.version')
      .execute();
    return rows.map(toFieldHistory);
  }

  async updateField(
    scope: AccessScope,
    command: FieldUpdateCommand,
    onChange?: ChangeHook,
  ): Promise<FieldUpdateResult> {
    const columns = UPDATABLE_COLUMNS[command.entity];
    const derived = Object.entries(command.derived ?? {});
    for (const column of [command.column, ...derived.map(([c]) => c)]) {
      if (!columns.has(column)) {
        throw new PermissionDeniedError(`Column '${column}' is not updatable`, {
          column,
        });
      }
    }
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (command.idempotency) {
          const replay = await this.findReplay<FieldChange>(
            trx,
            scope,
            command.idempotency,
            'update_field',
          );
          if (replay) return { change: replay, replayed: true };
        }
        const table = ENTITY_TABLE[command.entity];
        const readCurrent = async () => {
          const result = await sql<{
            account_id: string;
            version: number | string;
            territory_id: string;
            value: string | number | null;
          }>`select r.account_id, r.version, a.territory_id, ${sql.ref(`r.${command.column}`)} as value
            from ${sql.table(table)} r join accounts a on a.id = r.account_id
            where r.id = ${command.id} and r.tenant_id = ${scope.tenant} and a.tenant_id = ${scope.tenant}`.execute(
            trx,
          );
          return result.rows[0];
        };
        const row = await readCurrent();
        if (!row) throw new NotFoundError(command.entity, command.id);
        if (!territoryVisible(scope, row.territory_id)) {
          throw new PermissionDeniedError(
            `No write access to ${command.entity} '${command.id}'`,
            { entity: command.entity, id: command.id },
          );
        }
        const currentVersion = Number(row.version);
        const before = normalizeValue(row.value);
        if (currentVersion !== command.expectedVersion) {
          throw conflict(
            `${command.entity} '${command.id}' is at version ${currentVersion}, not ${command.expectedVersion}`,
            conflictContext(command, currentVersion, before),
          );
        }
        const sets = [
          sql`${sql.ref(command.column)} = ${command.value}`,
          ...derived.map(([c, v]) => sql`${sql.ref(c)} = ${v}`),
          sql`version = version + 1`,
          sql`updated_at = ${command.at}`,
        ];
        const updated =
          await sql`update ${sql.table(table)} set ${sql.join(sets)}
          where id = ${command.id} and tenant_id = ${scope.tenant} and version = ${command.expectedVersion}
          and account_id in (select a.id from accounts a where ${accountInScope(scope, 'a')})`.execute(
            trx,
          );
        if (Number(updated.numAffectedRows ?? 0n) !== 1) {
          // A concurrent writer committed between our read and our update.
          const now = await readCurrent();
          throw conflict(
            `${command.entity} '${command.id}' changed concurrently`,
            conflictContext(
              command,
              now ? Number(now.version) : currentVersion,
              now ? normalizeValue(now.value) : before,
            ),
          );
        }
        const version = command.expectedVersion + 1;
        const change: FieldChange = {
          tenant: scope.tenant,
          entity: command.entity,
          id: command.id,
          accountId: row.account_id,
          field: command.field,
          before,
          after: command.value,
          version,
          actorId: command.actorId,
          at: command.at,
        };
        await trx
          .insertInto('field_history')
          .values({
            id: `fh-${command.entity}-${command.id}-v${version}`,
            tenant_id: scope.tenant,
            entity_type: command.entity,
            entity_id: command.id,
            field: command.field,
            old_value: before === null ? null : String(before),
            new_value: command.value === null ? null : String(command.value),
            version,
            changed_by: command.actorId,
            changed_at: command.at,
          })
          .execute();
        if (onChange) await onChange(change);
        if (command.idempotency) {
          await this.recordResult(
            trx,
            scope,
            command.idempotency,
            'update_field',
            change,
            command.at,
          );
        }
        return { change, replayed: false };
      });
    } catch (error) {
      // A concurrent request with the same key may have won; its result is ours.
      const replay = await this.replayAfterFailure<FieldChange>(
        error,
        scope,
        command.idempotency,
        'update_field',
      );
      if (replay) return { change: replay, replayed: true };
      throw error;
    }
  }

  async insertEmailDraft(
    scope: AccessScope,
    draft: EmailDraftRecord,
    idempotency?: IdempotencyKey,
  ): Promise<InsertResult<EmailDraftRecord>> {
    return this.scopedInsert(
      scope,
      draft,
      'email_draft',
      idempotency,
      async (trx) => {
        await trx
          .insertInto('email_drafts')
          .values(fromEmailDraft(draft))
          .execute();
      },
    );
  }

  async insertProposal(
    scope: AccessScope,
    proposal: ProposalRecord,
    idempotency?: IdempotencyKey,
  ): Promise<InsertResult<ProposalRecord>> {
    return this.scopedInsert(
      scope,
      proposal,
      'proposal',
      idempotency,
      async (trx) => {
        await trx
          .insertInto('proposals')
          .values(fromProposal(proposal))
          .execute();
      },
    );
  }

  async checkAccountWrite(
    scope: AccessScope,
    accountId: string,
  ): Promise<void> {
    await this.assertAccountWritable(this.db, scope, accountId);
  }

  private async assertAccountWritable(
    db: Kysely<CrmDatabase>,
    scope: AccessScope,
    accountId: string,
  ): Promise<void> {
    const account = await db
      .selectFrom('accounts')
      .select(['territory_id'])
      .where('id', '=', accountId)
      .where('tenant_id', '=', scope.tenant)
      .executeTakeFirst();
    if (!account) throw new NotFoundError('account', accountId);
    if (!territoryVisible(scope, account.territory_id)) {
      throw new PermissionDeniedError(
        `No write access to account '${accountId}'`,
        {
          id: accountId,
        },
      );
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async scopedInsert<
    T extends { accountId: string; tenantId: string; createdAt: string },
  >(
    scope: AccessScope,
    record: T,
    operation: string,
    idempotency: IdempotencyKey | undefined,
    write: (trx: Kysely<CrmDatabase>) => Promise<void>,
  ): Promise<InsertResult<T>> {
    if (record.tenantId !== scope.tenant) {
      throw new PermissionDeniedError('Record belongs to another tenant');
    }
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (idempotency) {
          const replay = await this.findReplay<T>(
            trx,
            scope,
            idempotency,
            operation,
          );
          if (replay) return { record: replay, replayed: true };
        }
        await this.assertAccountWritable(trx, scope, record.accountId);
        await write(trx);
        if (idempotency) {
          await this.recordResult(
            trx,
            scope,
            idempotency,
            operation,
            record,
            record.createdAt,
          );
        }
        return { record, replayed: false };
      });
    } catch (error) {
      const replay = await this.replayAfterFailure<T>(
        error,
        scope,
        idempotency,
        operation,
      );
      if (replay) return { record: replay, replayed: true };
      throw error;
    }
  }

  private async findReplay<T>(
    trx: Kysely<CrmDatabase>,
    scope: AccessScope,
    idempotency: IdempotencyKey,
    operation: string,
  ): Promise<T | undefined> {
    const row = await trx
      .selectFrom('idempotency_records')
      .selectAll()
      .where('tenant_id', '=', scope.tenant)
      .where('idem_key', '=', idempotency.key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (
      row.operation !== operation ||
      row.user_id !== scope.userId ||
      row.request_hash !== idempotency.requestHash
    ) {
      throw conflict('Idempotency key was already used for another request', {
        idempotencyKey: idempotency.key,
      });
    }
    return JSON.parse(row.response_json) as T;
  }

  private async recordResult(
    trx: Kysely<CrmDatabase>,
    scope: AccessScope,
    idempotency: IdempotencyKey,
    operation: string,
    result: unknown,
    at: string,
  ): Promise<void> {
    await trx
      .insertInto('idempotency_records')
      .values({
        tenant_id: scope.tenant,
        idem_key: idempotency.key,
        operation,
        user_id: scope.userId,
        request_hash: idempotency.requestHash,
        response_json: JSON.stringify(result),
        created_at: at,
      })
      .execute();
  }

  private async replayAfterFailure<T>(
    error: unknown,
    scope: AccessScope,
    idempotency: IdempotencyKey | undefined,
    operation: string,
  ): Promise<T | undefined> {
    if (!idempotency) return undefined;
    const retryable =
      this.hooks.isUniqueViolation(error) ||
      (error instanceof FieldwiseError && error.code === 'CONFLICT');
    if (!retryable) return undefined;
    try {
      return await this.findReplay<T>(this.db, scope, idempotency, operation);
    } catch (_replayError) {
      // Key reused for another request: the original error explains more.
      return undefined;
    }
  }
}

function normalizeValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean')
    return Number(value);
  return JSON.stringify(value);
}

function conflictContext(
  command: FieldUpdateCommand,
  currentVersion: number,
  currentValue: string | number | null,
): Record<string, string | number | boolean> {
  return {
    entity: command.entity,
    id: command.id,
    field: command.field,
    expectedVersion: command.expectedVersion,
    currentVersion,
    currentValue: currentValue === null ? '' : currentValue,
    currentValueIsNull: currentValue === null,
  };
}
