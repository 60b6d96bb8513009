import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import {
  parseDomainVocabulary,
  type DomainVocabulary,
} from '../domain/vocabulary.js';

/** The package root (`apps/crm-service`), from `src/cli` or `dist/cli`. */
export const PACKAGE_ROOT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** `data/domain.json` of the repository. */
export const DEFAULT_DOMAIN_FILE = join(
  PACKAGE_ROOT,
  '..',
  '..',
  'data',
  'domain.json',
);

/**
 * Default data dir of the embedded store: the one `npm start` gives every
 * service (`<repo>/.data`), so a seed or import lands where the service reads.
 */
export const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, '..', '..', '.data');

/** Reads and validates the business vocabulary. */
export function loadVocabulary(file: string): DomainVocabulary {
  return parseDomainVocabulary(JSON.parse(readFileSync(file, 'utf8')));
}

/** A CLI logger: JSON lines on stderr, so stdout carries only the result. */
export function cliLogger(): Logger {
  return pino(
    { level: process.env['LOG_LEVEL'] ?? 'info' },
    pino.destination(2),
  );
}
