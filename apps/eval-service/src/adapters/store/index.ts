import { FieldwiseError } from '@fieldwise/errors';
import type { Logger } from 'pino';
import type { EvalStore } from './port.js';
import { PostgresEvalStore } from './postgres-eval-store.js';
import { SqliteEvalStore } from './sqlite-eval-store.js';

/** What selects and configures the store; from the service config. */
export interface EvalStoreConfig {
  /** `postgres://…` selects PostgreSQL; absent or empty selects SQLite. */
  readonly databaseUrl?: string | undefined;
  /** Directory for the SQLite file (embedded default). */
  readonly dataDir: string;
  /** PostgreSQL schema (search_path); default `public`. */
  readonly schema?: string | undefined;
}

type StoreFactory = (
  config: EvalStoreConfig,
  logger: Logger,
) => Promise<EvalStore>;

/** Adapter name → factory; the config picks one by name. */
export const EVAL_STORE_FACTORIES: ReadonlyMap<string, StoreFactory> = new Map<
  string,
  StoreFactory
>([
  [
    'sqlite',
    (config, logger) =>
      SqliteEvalStore.open({ dataDir: config.dataDir, logger }),
  ],
  [
    'postgres',
    (config, logger) =>
      PostgresEvalStore.open({
        connectionString: config.databaseUrl ?? '',
        logger,
        ...(config.schema === undefined ? {} : { schema: config.schema }),
      }),
  ],
]);

/** The adapter a config selects: `postgres` for a postgres URL, else `sqlite`; other URLs are CONFIG_INVALID. */
export function selectEvalStoreKind(config: EvalStoreConfig): string {
  const url = config.databaseUrl?.trim() ?? '';
  if (url === '') return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new FieldwiseError(
    'CONFIG_INVALID',
    'DATABASE_URL must be a postgres:// or postgresql:// URL',
    { context: { field: 'DATABASE_URL' } },
  );
}

/** Opens the store the config selects and logs which one it chose. */
export async function openEvalStore(
  config: EvalStoreConfig,
  logger: Logger,
): Promise<EvalStore> {
  const kind = selectEvalStoreKind(config);
  const factory = EVAL_STORE_FACTORIES.get(kind);
  if (!factory)
    throw new FieldwiseError('CONFIG_INVALID', `no store '${kind}'`);
  logger.info({ adapter: kind }, 'eval store selected');
  return factory(config, logger);
}

export type {
  EvalStore,
  NewDataset,
  NewDatasetVersion,
  RunFilter,
  RunPatch,
} from './port.js';
export { SqliteEvalStore } from './sqlite-eval-store.js';
export { PostgresEvalStore } from './postgres-eval-store.js';
