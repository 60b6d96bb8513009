import type { Logger } from 'pino';
import type { EvalStore } from '../adapters/store/port.js';

/** What every domain operation of the eval service needs. */
export interface EvalDeps {
  readonly store: EvalStore;
  readonly logger: Logger;
  /** Current time; injected so results are reproducible in tests. */
  readonly now: () => Date;
  /** A new unique id with the given prefix, e.g. `run_…`. */
  readonly newId: (prefix: string) => string;
}
