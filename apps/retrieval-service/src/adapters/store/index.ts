import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DocumentStore } from './port.js';
import { SqliteDocumentStore } from './sqlite-document-store.js';

/**
 * Opens the embedded document store (`<dataDir>/retrieval.sqlite`, or an
 * in-memory one when `dataDir` is omitted) and logs the choice.
 */
export function openDocumentStore(
  config: { readonly dataDir?: string },
  logger: Logger,
): DocumentStore {
  const file = config.dataDir
    ? join(config.dataDir, 'retrieval.sqlite')
    : ':memory:';
  logger.info({ adapter: 'sqlite', file }, 'document store adapter chosen');
  return new SqliteDocumentStore(file);
}

export type { ChunkWithDocument, DocumentStore, LexicalHit } from './port.js';
export { SqliteDocumentStore } from './sqlite-document-store.js';
