import { NotFoundError } from '@fieldwise/errors';
import type { Principal } from '@fieldwise/principal';
import type { Dataset, EvalDeps, Run } from '../domain/index.js';

/** The caller's dataset; another tenant's is NOT_FOUND, like a missing one. */
export async function datasetOfTenant(
  deps: Pick<EvalDeps, 'store'>,
  principal: Principal,
  datasetId: string,
): Promise<Dataset> {
  const dataset = await deps.store.getDataset(datasetId);
  if (!dataset || dataset.tenant !== principal.tenant) {
    throw new NotFoundError('dataset', datasetId);
  }
  return dataset;
}

/** The caller's run (through its dataset's tenant); another tenant's is NOT_FOUND. */
export async function runOfTenant(
  deps: Pick<EvalDeps, 'store'>,
  principal: Principal,
  runId: string,
): Promise<{ run: Run; dataset: Dataset }> {
  const run = await deps.store.getRun(runId);
  const dataset = run ? await deps.store.getDataset(run.datasetId) : undefined;
  if (!run || !dataset || dataset.tenant !== principal.tenant) {
    throw new NotFoundError('run', runId);
  }
  return { run, dataset };
}
