import { sql, type Kysely } from 'kysely';
import type { CrmDatabase } from './schema.js';

/** One versioned schema step; statements use SQL both SQLite and PostgreSQL accept. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/**
 * The ordered schema history. Append new versions; never edit an applied one.
 * Every statement is idempotent (`IF NOT EXISTS`) so a half-applied version
 * can be re-run safely.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'gold tables',
    statements: [
      `create table if not exists tenants (
        id text primary key,
        name text not null,
        default_currency text not null
      )`,
      `create table if not exists territories (
        tenant_id text not null references tenants(id),
        id text not null,
        name text not null,
        region text not null,
        default_owner_id text,
        primary key (tenant_id, id)
      )`,
      `create table if not exists users (
        id text primary key,
        tenant_id text not null references tenants(id),
        email text not null,
        name text not null,
        role text not null,
        manager_id text
      )`,
      `create index if not exists users_tenant_manager on users (tenant_id, manager_id)`,
      `create table if not exists user_territories (
        user_id text not null references users(id),
        tenant_id text not null,
        territory_id text not null,
        primary key (user_id, territory_id)
      )`,
      `create table if not exists accounts (
        id text primary key,
        tenant_id text not null references tenants(id),
        name text not null,
        domain text,
        industry text,
        segment text,
        employees integer,
        country text,
        account_type text,
        territory_id text not null,
        owner_id text,
        arr_usd bigint not null,
        created_at text,
        source_ref text
      )`,
      `create index if not exists accounts_scope on accounts (tenant_id, territory_id)`,
      `create table if not exists contacts (
        id text primary key,
        tenant_id text not null,
        account_id text not null references accounts(id),
        name text not null,
        email text,
        title text,
        is_executive integer not null
      )`,
      `create index if not exists contacts_account on contacts (account_id)`,
      `create table if not exists opportunities (
        id text primary key,
        tenant_id text not null,
        account_id text not null references accounts(id),
        name text not null,
        stage text not null,
        amount_cents bigint,
        currency text not null,
        close_date text,
        forecast_category text,
        next_step text,
        owner_id text,
        version integer not null,
        updated_at text not null,
        source_ref text
      )`,
      `create index if not exists opportunities_account on opportunities (account_id)`,
      `create table if not exists use_cases (
        id text primary key,
        tenant_id text not null,
        account_id text not null references accounts(id),
        name text not null,
        product_line text not null,
        stage text not null,
        is_live integer not null,
        est_monthly_revenue_usd bigint not null,
        go_live_date text,
        blockers text,
        executive_sponsor_id text,
        version integer not null,
        updated_at text not null
      )`,
      `create index if not exists use_cases_account on use_cases (account_id)`,
      `create table if not exists consumption_monthly (
        tenant_id text not null,
        account_id text not null references accounts(id),
        month text not null,
        product_line text not null,
        cloud text not null,
        amount_usd bigint not null,
        primary key (account_id, month, product_line, cloud)
      )`,
      `create table if not exists support_cases (
        id text primary key,
        tenant_id text not null,
        account_id text not null references accounts(id),
        subject text not null,
        severity text not null,
        status text not null,
        product_line text,
        opened_at text not null,
        closed_at text
      )`,
      `create index if not exists support_cases_account on support_cases (account_id)`,
      `create table if not exists news_items (
        id text primary key,
        tenant_id text not null,
        account_id text not null references accounts(id),
        published_at text not null,
        headline text not null,
        source text not null,
        url text not null
      )`,
      `create index if not exists news_items_account on news_items (account_id)`,
      `create table if not exists competitors_present (
        tenant_id text not null,
        account_id text not null references accounts(id),
        competitor text not null,
        product_line text,
        notes text,
        primary key (account_id, competitor)
      )`,
      `create table if not exists field_history (
        id text primary key,
        tenant_id text not null,
        entity_type text not null,
        entity_id text not null,
        field text not null,
        old_value text,
        new_value text,
        version integer not null,
        changed_by text not null,
        changed_at text not null
      )`,
      `create index if not exists field_history_entity on field_history (entity_type, entity_id)`,
      `create table if not exists email_drafts (
        id text primary key,
        tenant_id text not null,
        account_id text not null references accounts(id),
        contact_id text,
        author_id text not null,
        kind text not null,
        subject text not null,
        body text not null,
        created_at text not null
      )`,
      `create table if not exists proposals (
        id text primary key,
        tenant_id text not null,
        account_id text not null references accounts(id),
        author_id text not null,
        title text not null,
        markdown text not null,
        html text not null,
        created_at text not null
      )`,
      `create table if not exists idempotency_records (
        tenant_id text not null,
        idem_key text not null,
        operation text not null,
        user_id text not null,
        request_hash text not null,
        response_json text not null,
        created_at text not null,
        primary key (tenant_id, idem_key)
      )`,
    ],
  },
];

/**
 * Applies every migration newer than the recorded version, each in its own
 * transaction. `lock` runs first inside each transaction so concurrent
 * openers (several replicas) serialize on PostgreSQL; SQLite passes a no-op
 * because its write transaction already excludes other writers.
 * Returns the versions applied by this call.
 */
export async function migrate(
  db: Kysely<CrmDatabase>,
  lock: (trx: Kysely<CrmDatabase>) => Promise<void>,
  now: () => Date = () => new Date(),
): Promise<number[]> {
  await db.transaction().execute(async (trx) => {
    await lock(trx);
    await sql`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at text not null
    )`.execute(trx);
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    const done = await db.transaction().execute(async (trx) => {
      await lock(trx);
      const existing = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (existing) return false;
      for (const statement of migration.statements) {
        await sql.raw(statement).execute(trx);
      }
      await trx
        .insertInto('schema_migrations')
        .values({
          version: migration.version,
          name: migration.name,
          applied_at: now().toISOString(),
        })
        .execute();
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
