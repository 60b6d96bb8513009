import type { EvalCase } from '../../domain/dataset/eval-case.js';
import type {
  CandidateCase,
  CaseResult,
  Dataset,
  DatasetVersion,
  Run,
  RunStatus,
} from '../../domain/model.js';

/** What creating a dataset needs. */
export interface NewDataset {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly description: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** A version to append to a dataset. */
export interface NewDatasetVersion {
  readonly datasetId: string;
  readonly cases: readonly EvalCase[];
  readonly contentHash: string;
  readonly note: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** Fields of a run that change while it executes. */
export interface RunPatch {
  readonly status?: RunStatus;
  readonly llmJudge?: boolean;
  readonly progress?: Run['progress'];
  readonly metrics?: Run['metrics'];
  readonly judgeAgreement?: Run['judgeAgreement'];
  readonly error?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** Filters for listing runs; absent fields do not filter. */
export interface RunFilter {
  readonly datasetId?: string;
  readonly status?: RunStatus;
}

/**
 * Persistence of datasets, runs, per-case results and candidate cases.
 * Implementations: SQLite (embedded default) and PostgreSQL, both passing
 * `runEvalStoreContract`. Unknown ids give `undefined` (or NotFoundError
 * where stated); storage failures throw DependencyUnavailableError.
 */
export interface EvalStore {
  /** Creates a dataset; a name already used in the tenant is ALREADY_EXISTS. */
  createDataset(dataset: NewDataset): Promise<Dataset>;
  getDataset(id: string): Promise<Dataset | undefined>;
  findDatasetByName(tenant: string, name: string): Promise<Dataset | undefined>;
  /** Datasets of a tenant, by name. */
  listDatasets(tenant: string): Promise<readonly Dataset[]>;
  /**
   * Appends version `latest + 1` atomically (concurrent appends get distinct
   * numbers). Unknown dataset is NOT_FOUND.
   */
  addDatasetVersion(input: NewDatasetVersion): Promise<DatasetVersion>;
  /** Versions of a dataset, newest first. */
  listDatasetVersions(datasetId: string): Promise<readonly DatasetVersion[]>;
  /** Cases of one version in dataset order; unknown version is NOT_FOUND. */
  getCases(datasetId: string, version: number): Promise<readonly EvalCase[]>;

  /** Stores a new run; a duplicate id is ALREADY_EXISTS. */
  createRun(run: Run): Promise<Run>;
  getRun(id: string): Promise<Run | undefined>;
  /** Applies a patch and returns the run; unknown id is NOT_FOUND. */
  updateRun(id: string, patch: RunPatch): Promise<Run>;
  /** Runs, newest first. */
  listRuns(filter?: RunFilter): Promise<readonly Run[]>;
  /** Inserts or replaces the result of (runId, caseId). */
  saveCaseResult(result: CaseResult): Promise<void>;
  /** Results of a run in dataset order. */
  listCaseResults(runId: string): Promise<readonly CaseResult[]>;

  /**
   * Stores a candidate unless one exists for its feedback id (idempotent
   * intake of redelivered events); returns the stored one and whether it
   * was created now.
   */
  saveCandidateCase(
    candidate: CandidateCase,
  ): Promise<{ readonly candidate: CandidateCase; readonly created: boolean }>;
  /** Candidates of a tenant, newest first. */
  listCandidateCases(
    tenant: string,
    options?: { readonly includeAccepted?: boolean },
  ): Promise<readonly CandidateCase[]>;
  /** Marks a candidate accepted; unknown id is NOT_FOUND. */
  markCandidateAccepted(id: string): Promise<CandidateCase>;

  /** Releases connections. */
  close(): Promise<void>;
}
