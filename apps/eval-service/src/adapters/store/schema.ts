/** Kysely table types of the eval store; JSON columns hold canonical JSON text. */
export interface EvalDatabase {
  eval_schema_migrations: { version: number; name: string; applied_at: string };
  datasets: {
    id: string;
    tenant: string;
    name: string;
    description: string;
    latest_version: number;
    created_by: string;
    created_at: string;
    updated_at: string;
  };
  dataset_versions: {
    dataset_id: string;
    version: number;
    case_count: number;
    content_hash: string;
    note: string;
    created_by: string;
    created_at: string;
  };
  dataset_cases: {
    dataset_id: string;
    version: number;
    position: number;
    case_id: string;
    body: string;
  };
  runs: {
    id: string;
    dataset_id: string;
    dataset_version: number;
    status: string;
    label: string;
    llm_judge: number;
    progress: string;
    metrics: string;
    judge_agreement: string;
    error: string;
    created_by: string;
    created_at: string;
    started_at: string;
    finished_at: string;
  };
  case_results: {
    run_id: string;
    case_id: string;
    position: number;
    outcome: string;
    body: string;
    finished_at: string;
  };
  candidate_cases: {
    id: string;
    tenant: string;
    feedback_id: string;
    accepted: number;
    created_at: string;
    body: string;
  };
}
