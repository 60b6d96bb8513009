import { sql, type Kysely } from 'kysely';
import type { EvalDatabase } from './schema.js';

/** One versioned schema step; statements use SQL both SQLite and PostgreSQL accept. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/**
 * The ordered schema history. Append new versions; never edit an applied
 * one. Statements are idempotent so a half-applied version can re-run.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'datasets, runs, results, candidates',
    statements: [
      `create table if not exists datasets (
        id text primary key,
        tenant text not null,
        name text not null,
        description text not null,
        latest_version integer not null,
        created_by text not null,
        created_at text not null,
        updated_at text not null
      )`,
      `create unique index if not exists datasets_tenant_name on datasets (tenant, name)`,
      `create table if not exists dataset_versions (
        dataset_id text not null references datasets(id),
        version integer not null,
        case_count integer not null,
        content_hash text not null,
        note text not null,
        created_by text not null,
        created_at text not null,
        primary key (dataset_id, version)
      )`,
      `create table if not exists dataset_cases (
        dataset_id text not null,
        version integer not null,
        position integer not null,
        case_id text not null,
        body text not null,
        primary key (dataset_id, version, position),
        foreign key (dataset_id, version) references dataset_versions(dataset_id, version)
      )`,
      `create table if not exists runs (
        id text primary key,
        dataset_id text not null references datasets(id),
        dataset_version integer not null,
        status text not null,
        label text not null,
        llm_judge integer not null,
        progress text not null,
        metrics text not null,
        judge_agreement text not null,
        error text not null,
        created_by text not null,
        created_at text not null,
        started_at text not null,
        finished_at text not null
      )`,
      `create index if not exists runs_dataset on runs (dataset_id, created_at)`,
      `create table if not exists case_results (
        run_id text not null references runs(id),
        case_id text not null,
        position integer not null,
        outcome text not null,
        body text not null,
        finished_at text not null,
        primary key (run_id, case_id)
      )`,
      `create table if not exists candidate_cases (
        id text primary key,
        tenant text not null,
        feedback_id text not null,
        accepted integer not null,
        created_at text not null,
        body text not null
      )`,
      `create unique index if not exists candidate_cases_feedback on candidate_cases (feedback_id)`,
    ],
  },
];

/**
 * Applies pending migrations, each in a transaction after `lock(trx)` (a
 * PostgreSQL advisory lock, a no-op on SQLite); returns the versions applied.
 */
export async function migrate(
  db: Kysely<EvalDatabase>,
  lock: (trx: Kysely<EvalDatabase>) => Promise<void>,
): Promise<number[]> {
  await db.transaction().execute(async (trx) => {
    // Replicas may start together: create the ledger under the lock too.
    await lock(trx);
    await sql`create table if not exists eval_schema_migrations (
      version integer primary key,
      name text not null,
      applied_at text not null
    )`.execute(trx);
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    await db.transaction().execute(async (trx) => {
      await lock(trx);
      const done = await trx
        .selectFrom('eval_schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (done) return;
      for (const statement of migration.statements) {
        await sql.raw(statement).execute(trx);
      }
      await trx
        .insertInto('eval_schema_migrations')
        .values({
          version: migration.version,
          name: migration.name,
          applied_at: new Date().toISOString(),
        })
        .execute();
      applied.push(migration.version);
    });
  }
  return applied;
}
