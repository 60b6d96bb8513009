import type { EvalServiceService } from '@fieldwise/contracts';
import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import type { CallContext, ServiceHandlers } from '@fieldwise/grpc';
import {
  importDataset,
  resolveDatasetVersion,
  type CaseUser,
  type Dataset,
} from '../domain/index.js';
import type { EvalHandlerDeps } from './handler-deps.js';
import { paginate, resolvePage } from './paging.js';
import {
  decodeCase,
  encodeCase,
  encodeDataset,
  encodeVersion,
} from './proto-mapping.js';
import { requireId } from './request-fields.js';
import { datasetOfTenant } from './tenant-scope.js';

type DatasetHandlers = Pick<
  ServiceHandlers<typeof EvalServiceService>,
  'createDataset' | 'importCases' | 'listDatasets' | 'getDataset'
>;

const MAX_JSONL_BYTES = 16 * 1024 * 1024;

/** The user a contract case without role is asked as: a seller of the caller's tenant. */
function defaultUser(ctx: CallContext): CaseUser {
  return {
    userId: ctx.principal.userId,
    tenant: ctx.principal.tenant,
    role: 'seller',
  };
}

async function latestCaseCount(
  deps: EvalHandlerDeps,
  dataset: Dataset,
): Promise<number> {
  const [latest] = await deps.store.listDatasetVersions(dataset.id);
  return latest?.caseCount ?? 0;
}

/** Dataset RPCs: create, import JSONL (all or nothing), list, get (the export). */
export function datasetHandlers(deps: EvalHandlerDeps): DatasetHandlers {
  return {
    async createDataset(request, ctx) {
      const name = request.name.trim();
      if (name === '' || name.length > 100) {
        throw new ValidationError([
          { field: 'name', message: 'must be 1 to 100 characters' },
        ]);
      }
      if (request.description.length > 2000) {
        throw new ValidationError([
          { field: 'description', message: 'must be at most 2000 characters' },
        ]);
      }
      const cases = request.cases.map((c, i) =>
        decodeCase(c, defaultUser(ctx), `cases[${i}]`),
      );
      if (await deps.store.findDatasetByName(ctx.principal.tenant, name)) {
        throw new FieldwiseError(
          'ALREADY_EXISTS',
          `a dataset named '${name}' already exists`,
          { context: { name } },
        );
      }
      if (cases.length === 0) {
        const dataset = await deps.store.createDataset({
          id: deps.newId('ds'),
          tenant: ctx.principal.tenant,
          name,
          description: request.description,
          createdBy: ctx.principal.userId,
          createdAt: deps.now().toISOString(),
        });
        return { dataset: encodeDataset(dataset, 0) };
      }
      const imported = await importDataset(deps, {
        tenant: ctx.principal.tenant,
        datasetName: name,
        description: request.description,
        jsonl: cases.map((c) => JSON.stringify(c)).join('\n'),
        onInvalidLine: 'reject',
        createdBy: ctx.principal.userId,
      });
      return {
        dataset: encodeDataset(
          imported.dataset,
          imported.version?.caseCount ?? 0,
        ),
        ...(imported.version
          ? { version: encodeVersion(imported.version) }
          : {}),
      };
    },

    async importCases(request, ctx) {
      const datasetId = requireId(request.datasetId, 'dataset_id');
      if (Buffer.byteLength(request.jsonl) > MAX_JSONL_BYTES) {
        throw new ValidationError([
          { field: 'jsonl', message: 'must be at most 16 MiB' },
        ]);
      }
      const dataset = await datasetOfTenant(deps, ctx.principal, datasetId);
      try {
        const imported = await importDataset(deps, {
          tenant: ctx.principal.tenant,
          datasetName: dataset.name,
          jsonl: request.jsonl,
          mode: request.replace ? 'replace' : 'merge',
          onInvalidLine: 'reject',
          note: request.note.slice(0, 2000),
          createdBy: ctx.principal.userId,
        });
        return {
          ...(imported.version
            ? { version: encodeVersion(imported.version) }
            : {}),
          errors: [],
        };
      } catch (error) {
        // Invalid lines are the answer, not a failure: nothing was imported.
        const lines =
          error instanceof ValidationError
            ? error.violations.filter((v) => /^line \d+$/.test(v.field))
            : [];
        if (lines.length === 0) throw error;
        return {
          errors: lines.map((v) => ({
            line: Number(v.field.slice(5)),
            message: v.message,
          })),
        };
      }
    },

    async listDatasets(request, ctx) {
      const page = resolvePage(request.page);
      const all = await deps.store.listDatasets(ctx.principal.tenant);
      const { items, info } = paginate(all, page);
      const datasets = [];
      for (const dataset of items) {
        datasets.push(
          encodeDataset(dataset, await latestCaseCount(deps, dataset)),
        );
      }
      return { datasets, page: info };
    },

    async getDataset(request, ctx) {
      const datasetId = requireId(request.datasetId, 'dataset_id');
      if (!Number.isInteger(request.version) || request.version < 0) {
        throw new ValidationError([
          { field: 'version', message: 'must be 0 (latest) or a version' },
        ]);
      }
      const dataset = await datasetOfTenant(deps, ctx.principal, datasetId);
      const versions = await deps.store.listDatasetVersions(dataset.id);
      const cases = request.includeCases
        ? (await resolveDatasetVersion(deps, dataset.id, request.version)).cases
        : [];
      return {
        dataset: encodeDataset(dataset, versions[0]?.caseCount ?? 0),
        versions: versions.map(encodeVersion),
        cases: cases.map(encodeCase),
      };
    },
  };
}
