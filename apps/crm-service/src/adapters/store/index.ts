import { DependencyUnavailableError, FieldwiseError } from '@fieldwise/errors';
import type { Logger } from 'pino';
import type { CrmStore } from './port.js';
import { PostgresCrmStore } from './postgres-crm-store.js';
import { SqliteCrmStore } from './sqlite-crm-store.js';

/** What selects and configures the store; from the service config. */
export interface CrmStoreConfig {
  /** `postgres://…` selects PostgreSQL; absent or empty selects SQLite. */
  readonly databaseUrl?: string | undefined;
  /** Directory for the SQLite file (embedded default). */
  readonly dataDir: string;
  /** PostgreSQL schema (search_path); default `public`. */
  readonly schema?: string | undefined;
}

type StoreFactory = (
  config: CrmStoreConfig,
  logger: Logger,
) => Promise<CrmStore>;

/** Adapter name → factory; the config picks one by name. */
export const CRM_STORE_FACTORIES: ReadonlyMap<string, StoreFactory> = new Map<
  string,
  StoreFactory
>([
  [
    'sqlite',
    (config, logger) =>
      SqliteCrmStore.open({ dataDir: config.dataDir, logger }),
  ],
  [
    'postgres',
    (config, logger) =>
      PostgresCrmStore.open({
        connectionString: config.databaseUrl ?? '',
        logger,
        ...(config.schema === undefined ? {} : { schema: config.schema }),
      }),
  ],
]);

/** The adapter name a config selects: `postgres` for a postgres URL, else `sqlite`. */
export function selectStoreKind(config: CrmStoreConfig): string {
  const url = config.databaseUrl?.trim() ?? '';
  if (url === '') return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new FieldwiseError(
    'CONFIG_INVALID',
    'DATABASE_URL must be a postgres:// or postgresql:// URL',
  );
}

/**
 * Opens the store the config selects and logs which one was chosen.
 * Throws `CONFIG_INVALID` for an unsupported URL and
 * `DEPENDENCY_UNAVAILABLE` when the database cannot be reached.
 */
export async function openCrmStore(
  config: CrmStoreConfig,
  logger: Logger,
): Promise<CrmStore> {
  const kind = selectStoreKind(config);
  const factory = CRM_STORE_FACTORIES.get(kind);
  if (!factory) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `No crm store adapter '${kind}'`,
    );
  }
  logger.info({ adapter: kind }, 'crm store adapter selected');
  try {
    return await factory(config, logger);
  } catch (error) {
    if (error instanceof FieldwiseError || error instanceof TypeError)
      throw error;
    throw new DependencyUnavailableError(`crm store (${kind})`, error);
  }
}

export type {
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
export {
  PostgresCrmStore,
  type PostgresCrmStoreOptions,
} from './postgres-crm-store.js';
export {
  SqliteCrmStore,
  type SqliteCrmStoreOptions,
} from './sqlite-crm-store.js';
