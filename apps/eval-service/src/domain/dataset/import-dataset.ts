import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import type { EvalDeps } from '../deps.js';
import type { Dataset, DatasetVersion } from '../model.js';
import { contentHash } from './content-hash.js';
import type { EvalCase } from './eval-case.js';
import { parseCasesJsonl, type ImportLineError } from './jsonl.js';

/** What importing JSONL into a dataset needs. */
export interface ImportDatasetInput {
  readonly tenant: string;
  /** Dataset name; created when the tenant has none by this name. */
  readonly datasetName: string;
  readonly description?: string;
  readonly jsonl: string;
  /**
   * `replace` (default): the new version holds exactly these cases.
   * `merge`: they are added to the latest version's cases, replacing cases
   * with the same id in place and appending new ones.
   */
  readonly mode?: 'replace' | 'merge';
  /**
   * `skip` (default): bad lines are reported and the valid ones import.
   * `reject`: any bad line imports nothing (the gRPC ImportCases contract).
   */
  readonly onInvalidLine?: 'skip' | 'reject';
  readonly note?: string;
  readonly createdBy: string;
}

/** What an import did. */
export interface ImportDatasetResult {
  readonly dataset: Dataset;
  /** The version holding the imported content (new or unchanged latest); absent when nothing was imported. */
  readonly version?: DatasetVersion;
  /** True when a new version was written; false when the content was already the latest. */
  readonly created: boolean;
  readonly errors: readonly ImportLineError[];
  /** Cases parsed successfully from the input. */
  readonly importedCases: number;
}

/**
 * Imports JSONL cases as a new dataset version. Content-addressed: when the
 * resulting cases hash to the latest version's hash nothing is written and
 * `created` is false. An input with no valid case is VALIDATION_FAILED
 * (listing the bad lines).
 */
export async function importDataset(
  deps: EvalDeps,
  input: ImportDatasetInput,
): Promise<ImportDatasetResult> {
  const parsed = parseCasesJsonl(input.jsonl);
  const rejectAll =
    input.onInvalidLine === 'reject' && parsed.errors.length > 0;
  if (parsed.cases.length === 0 || rejectAll) {
    throw new ValidationError(
      parsed.errors.map((e) => ({
        field: `line ${e.line}`,
        message: e.message,
      })),
      parsed.errors.length === 0
        ? 'the input holds no case'
        : `${parsed.errors.length} invalid line(s); nothing imported`,
    );
  }
  const dataset = await findOrCreateDataset(deps, input);
  const latest =
    dataset.latestVersion > 0
      ? await deps.store.getCases(dataset.id, dataset.latestVersion)
      : [];
  const cases =
    input.mode === 'merge' ? mergeCases(latest, parsed.cases) : parsed.cases;
  const hash = contentHash(cases);
  const versions = await deps.store.listDatasetVersions(dataset.id);
  const current = versions[0];
  if (current && current.contentHash === hash) {
    deps.logger.info(
      { dataset: dataset.name, version: current.version },
      'dataset content unchanged; no new version',
    );
    return {
      dataset,
      version: current,
      created: false,
      errors: parsed.errors,
      importedCases: parsed.cases.length,
    };
  }
  const version = await deps.store.addDatasetVersion({
    datasetId: dataset.id,
    cases,
    contentHash: hash,
    note: input.note ?? '',
    createdBy: input.createdBy,
    createdAt: deps.now().toISOString(),
  });
  deps.logger.info(
    { dataset: dataset.name, version: version.version, cases: cases.length },
    'dataset version created',
  );
  const updated = (await deps.store.getDataset(dataset.id)) ?? dataset;
  return {
    dataset: updated,
    version,
    created: true,
    errors: parsed.errors,
    importedCases: parsed.cases.length,
  };
}

/**
 * Resolves a dataset version number: 0 or absent means the latest. A
 * dataset without versions, or an unknown version, is NOT_FOUND.
 */
export async function resolveDatasetVersion(
  deps: Pick<EvalDeps, 'store'>,
  datasetId: string,
  version?: number,
): Promise<{ dataset: Dataset; version: number; cases: readonly EvalCase[] }> {
  const dataset = await deps.store.getDataset(datasetId);
  if (!dataset) {
    throw new FieldwiseError(
      'NOT_FOUND',
      `dataset '${datasetId}' was not found`,
      {
        context: { resource: 'dataset', id: datasetId },
      },
    );
  }
  const wanted =
    version === undefined || version === 0 ? dataset.latestVersion : version;
  if (wanted < 1) {
    throw new FieldwiseError(
      'NOT_FOUND',
      `dataset '${dataset.name}' has no version yet`,
      {
        context: { resource: 'dataset version', id: datasetId },
      },
    );
  }
  const cases = await deps.store.getCases(datasetId, wanted);
  return { dataset, version: wanted, cases };
}

async function findOrCreateDataset(
  deps: EvalDeps,
  input: ImportDatasetInput,
): Promise<Dataset> {
  const existing = await deps.store.findDatasetByName(
    input.tenant,
    input.datasetName,
  );
  if (existing) return existing;
  if (input.datasetName.trim() === '' || input.datasetName.length > 100) {
    throw new ValidationError([
      { field: 'datasetName', message: 'must be 1 to 100 characters' },
    ]);
  }
  try {
    return await deps.store.createDataset({
      id: deps.newId('ds'),
      tenant: input.tenant,
      name: input.datasetName,
      description: input.description ?? '',
      createdBy: input.createdBy,
      createdAt: deps.now().toISOString(),
    });
  } catch (error) {
    // A concurrent importer created it first: use theirs.
    if (error instanceof FieldwiseError && error.code === 'ALREADY_EXISTS') {
      const raced = await deps.store.findDatasetByName(
        input.tenant,
        input.datasetName,
      );
      if (raced) return raced;
    }
    throw error;
  }
}

function mergeCases(
  base: readonly EvalCase[],
  incoming: readonly EvalCase[],
): EvalCase[] {
  const byId = new Map(incoming.map((c) => [c.id, c]));
  const merged = base.map((c) => {
    const replacement = byId.get(c.id);
    if (replacement) byId.delete(c.id);
    return replacement ?? c;
  });
  return [...merged, ...byId.values()];
}
