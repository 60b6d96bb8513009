import {
  DependencyUnavailableError,
  FieldwiseError,
  NotFoundError,
} from '@fieldwise/errors';
import type { Kysely, Selectable } from 'kysely';
import type { EvalCase } from '../../domain/dataset/eval-case.js';
import type {
  CandidateCase,
  CaseResult,
  Dataset,
  DatasetVersion,
  Run,
  RunStatus,
} from '../../domain/model.js';
import type {
  EvalStore,
  NewDataset,
  NewDatasetVersion,
  RunFilter,
  RunPatch,
} from './port.js';
import type { EvalDatabase } from './schema.js';

/** Dialect specifics the shared queries need. */
export interface DialectTraits {
  readonly isUniqueViolation: (error: unknown) => boolean;
}

type DatasetRow = Selectable<EvalDatabase['datasets']>;
type VersionRow = Selectable<EvalDatabase['dataset_versions']>;
type RunRow = Selectable<EvalDatabase['runs']>;

/**
 * The EvalStore queries, written once in Kysely for SQLite and PostgreSQL.
 * Structured values (cases, results, metrics) are stored as JSON text this
 * store wrote itself, so reading them back trusts their shape.
 */
export class KyselyEvalStore implements EvalStore {
  protected constructor(
    readonly dialect: 'sqlite' | 'postgres',
    protected readonly db: Kysely<EvalDatabase>,
    private readonly traits: DialectTraits,
  ) {}

  async createDataset(input: NewDataset): Promise<Dataset> {
    return this.guard(async () => {
      try {
        await this.db
          .insertInto('datasets')
          .values({
            id: input.id,
            tenant: input.tenant,
            name: input.name,
            description: input.description,
            latest_version: 0,
            created_by: input.createdBy,
            created_at: input.createdAt,
            updated_at: input.createdAt,
          })
          .execute();
      } catch (error) {
        if (this.traits.isUniqueViolation(error)) {
          throw new FieldwiseError(
            'ALREADY_EXISTS',
            `dataset '${input.name}' already exists`,
            { context: { resource: 'dataset', name: input.name } },
          );
        }
        throw error;
      }
      return { ...input, latestVersion: 0, updatedAt: input.createdAt };
    });
  }

  async getDataset(id: string): Promise<Dataset | undefined> {
    return this.guard(async () => {
      const row = await this.db
        .selectFrom('datasets')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toDataset(row);
    });
  }

  async findDatasetByName(
    tenant: string,
    name: string,
  ): Promise<Dataset | undefined> {
    return this.guard(async () => {
      const row = await this.db
        .selectFrom('datasets')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toDataset(row);
    });
  }

  async listDatasets(tenant: string): Promise<readonly Dataset[]> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('datasets')
        .selectAll()
        .where('tenant', '=', tenant)
        .orderBy('name')
        .execute();
      return rows.map(toDataset);
    });
  }

  async addDatasetVersion(input: NewDatasetVersion): Promise<DatasetVersion> {
    return this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        // The increment is the allocation: concurrent appends serialize on the row.
        const bumped = await trx
          .updateTable('datasets')
          .set((eb) => ({
            latest_version: eb('latest_version', '+', 1),
            updated_at: input.createdAt,
          }))
          .where('id', '=', input.datasetId)
          .returning('latest_version')
          .executeTakeFirst();
        if (!bumped) throw new NotFoundError('dataset', input.datasetId);
        const version: DatasetVersion = {
          datasetId: input.datasetId,
          version: Number(bumped.latest_version),
          caseCount: input.cases.length,
          contentHash: input.contentHash,
          note: input.note,
          createdBy: input.createdBy,
          createdAt: input.createdAt,
        };
        await trx
          .insertInto('dataset_versions')
          .values({
            dataset_id: version.datasetId,
            version: version.version,
            case_count: version.caseCount,
            content_hash: version.contentHash,
            note: version.note,
            created_by: version.createdBy,
            created_at: version.createdAt,
          })
          .execute();
        // Batches keep each statement under SQLite's bound-parameter limit.
        for (let i = 0; i < input.cases.length; i += 100) {
          await trx
            .insertInto('dataset_cases')
            .values(
              input.cases.slice(i, i + 100).map((c, j) => ({
                dataset_id: version.datasetId,
                version: version.version,
                position: i + j,
                case_id: c.id,
                body: JSON.stringify(c),
              })),
            )
            .execute();
        }
        return version;
      }),
    );
  }

  async listDatasetVersions(
    datasetId: string,
  ): Promise<readonly DatasetVersion[]> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('dataset_versions')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .orderBy('version', 'desc')
        .execute();
      return rows.map(toVersion);
    });
  }

  async getCases(
    datasetId: string,
    version: number,
  ): Promise<readonly EvalCase[]> {
    return this.guard(async () => {
      const exists = await this.db
        .selectFrom('dataset_versions')
        .select('version')
        .where('dataset_id', '=', datasetId)
        .where('version', '=', version)
        .executeTakeFirst();
      if (!exists) {
        throw new NotFoundError('dataset version', `${datasetId}@${version}`);
      }
      const rows = await this.db
        .selectFrom('dataset_cases')
        .select('body')
        .where('dataset_id', '=', datasetId)
        .where('version', '=', version)
        .orderBy('position')
        .execute();
      return rows.map((r) => JSON.parse(r.body) as EvalCase);
    });
  }

  async createRun(run: Run): Promise<Run> {
    return this.guard(async () => {
      try {
        await this.db
          .insertInto('runs')
          .values({
            id: run.id,
            dataset_id: run.datasetId,
            dataset_version: run.datasetVersion,
            status: run.status,
            label: run.label,
            llm_judge: run.llmJudge ? 1 : 0,
            progress: JSON.stringify(run.progress),
            metrics: JSON.stringify(run.metrics),
            judge_agreement: JSON.stringify(run.judgeAgreement),
            error: run.error,
            created_by: run.createdBy,
            created_at: run.createdAt,
            started_at: run.startedAt,
            finished_at: run.finishedAt,
          })
          .execute();
      } catch (error) {
        if (this.traits.isUniqueViolation(error)) {
          throw new FieldwiseError(
            'ALREADY_EXISTS',
            `run '${run.id}' already exists`,
          );
        }
        throw error;
      }
      return run;
    });
  }

  async getRun(id: string): Promise<Run | undefined> {
    return this.guard(async () => {
      const row = await this.db
        .selectFrom('runs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRun(row);
    });
  }

  async updateRun(id: string, patch: RunPatch): Promise<Run> {
    return this.guard(async () => {
      const set: Partial<EvalDatabase['runs']> = {};
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.llmJudge !== undefined) set.llm_judge = patch.llmJudge ? 1 : 0;
      if (patch.progress !== undefined)
        set.progress = JSON.stringify(patch.progress);
      if (patch.metrics !== undefined)
        set.metrics = JSON.stringify(patch.metrics);
      if (patch.judgeAgreement !== undefined)
        set.judge_agreement = JSON.stringify(patch.judgeAgreement);
      if (patch.error !== undefined) set.error = patch.error;
      if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
      if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
      if (Object.keys(set).length > 0) {
        await this.db
          .updateTable('runs')
          .set(set)
          .where('id', '=', id)
          .execute();
      }
      const run = await this.getRun(id);
      if (!run) throw new NotFoundError('run', id);
      return run;
    });
  }

  async listRuns(filter: RunFilter = {}): Promise<readonly Run[]> {
    return this.guard(async () => {
      let query = this.db.selectFrom('runs').selectAll();
      if (filter.datasetId !== undefined)
        query = query.where('dataset_id', '=', filter.datasetId);
      if (filter.status !== undefined)
        query = query.where('status', '=', filter.status);
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toRun);
    });
  }

  async saveCaseResult(result: CaseResult): Promise<void> {
    await this.guard(async () => {
      const row = {
        run_id: result.runId,
        case_id: result.caseId,
        position: result.position,
        outcome: result.outcome,
        body: JSON.stringify(result),
        finished_at: result.finishedAt,
      };
      await this.db
        .insertInto('case_results')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['run_id', 'case_id']).doUpdateSet({
            position: row.position,
            outcome: row.outcome,
            body: row.body,
            finished_at: row.finished_at,
          }),
        )
        .execute();
    });
  }

  async listCaseResults(runId: string): Promise<readonly CaseResult[]> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('case_results')
        .select('body')
        .where('run_id', '=', runId)
        .orderBy('position')
        .execute();
      return rows.map((r) => JSON.parse(r.body) as CaseResult);
    });
  }

  async saveCandidateCase(
    candidate: CandidateCase,
  ): Promise<{ candidate: CandidateCase; created: boolean }> {
    return this.guard(async () => {
      const inserted = await this.db
        .insertInto('candidate_cases')
        .values({
          id: candidate.id,
          tenant: candidate.tenant,
          feedback_id: candidate.feedbackId,
          accepted: candidate.accepted ? 1 : 0,
          created_at: candidate.createdAt,
          body: JSON.stringify(candidate),
        })
        .onConflict((oc) => oc.column('feedback_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { candidate, created: true };
      const existing = await this.db
        .selectFrom('candidate_cases')
        .selectAll()
        .where('feedback_id', '=', candidate.feedbackId)
        .executeTakeFirstOrThrow();
      return { candidate: toCandidate(existing), created: false };
    });
  }

  async listCandidateCases(
    tenant: string,
    options: { includeAccepted?: boolean } = {},
  ): Promise<readonly CandidateCase[]> {
    return this.guard(async () => {
      let query = this.db
        .selectFrom('candidate_cases')
        .selectAll()
        .where('tenant', '=', tenant);
      if (options.includeAccepted !== true)
        query = query.where('accepted', '=', 0);
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toCandidate);
    });
  }

  async markCandidateAccepted(id: string): Promise<CandidateCase> {
    return this.guard(async () => {
      await this.db
        .updateTable('candidate_cases')
        .set({ accepted: 1 })
        .where('id', '=', id)
        .execute();
      const row = await this.db
        .selectFrom('candidate_cases')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw new NotFoundError('candidate case', id);
      return toCandidate(row);
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** Keeps typed errors; anything else from the driver means the store is unusable. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof FieldwiseError) throw error;
      throw new DependencyUnavailableError(
        `eval store (${this.dialect})`,
        error,
      );
    }
  }
}

function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    description: row.description,
    latestVersion: Number(row.latest_version),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVersion(row: VersionRow): DatasetVersion {
  return {
    datasetId: row.dataset_id,
    version: Number(row.version),
    caseCount: Number(row.case_count),
    contentHash: row.content_hash,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetVersion: Number(row.dataset_version),
    status: row.status as RunStatus,
    label: row.label,
    llmJudge: Number(row.llm_judge) === 1,
    progress: JSON.parse(row.progress) as Run['progress'],
    metrics: JSON.parse(row.metrics) as Run['metrics'],
    judgeAgreement: JSON.parse(row.judge_agreement) as Run['judgeAgreement'],
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function toCandidate(
  row: Selectable<EvalDatabase['candidate_cases']>,
): CandidateCase {
  const body = JSON.parse(row.body) as CandidateCase;
  // Candidates stored before draft edits were carried have none.
  return {
    ...body,
    draftEdits: body.draftEdits ?? [],
    accepted: Number(row.accepted) === 1,
  };
}
