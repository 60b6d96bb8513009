import type { EvalDeps } from '../deps.js';
import { resolveDatasetVersion } from './import-dataset.js';
import { exportCasesJsonl } from './jsonl.js';

/**
 * Exports one version (0 or absent: the latest) of a dataset as JSONL that
 * `importDataset` reads back to the same content hash. Unknown dataset or
 * version is NOT_FOUND.
 */
export async function exportDataset(
  deps: Pick<EvalDeps, 'store'>,
  datasetId: string,
  version?: number,
): Promise<{ version: number; jsonl: string }> {
  const resolved = await resolveDatasetVersion(deps, datasetId, version);
  return { version: resolved.version, jsonl: exportCasesJsonl(resolved.cases) };
}
