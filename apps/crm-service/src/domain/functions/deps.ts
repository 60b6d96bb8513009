import type { Logger } from 'pino';
import type { CrmStore } from '../../adapters/store/port.js';
import type { DomainVocabulary } from '../vocabulary.js';

/** What every domain function needs; the service builds it once at start. */
export interface CrmDeps {
  readonly store: CrmStore;
  readonly logger: Logger;
  /** The business vocabulary (product line names and so on). */
  readonly vocabulary: DomainVocabulary;
  /** "Now"; the service passes the wall clock, tests and demos a fixed date. */
  readonly clock: () => Date;
  /** New record ids; defaults to random UUIDs. */
  readonly newId?: () => string;
}

/** Today's ISO date by the deps' clock. */
export function today(deps: CrmDeps): string {
  return deps.clock().toISOString().slice(0, 10);
}

/** Display name of a product line id (the id itself when unknown). */
export function productLineName(deps: CrmDeps, id: string): string {
  return deps.vocabulary.productLines.find((p) => p.id === id)?.name ?? id;
}
