import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SourceDocument } from '../../domain/parsing/parse-document.js';

/** A sidecar that could not be read; the document it belongs to is still offered, without it. */
export interface SidecarProblem {
  readonly source: string;
  readonly reason: string;
}

/** Source files read from disk, ready for ingestion. */
export interface LoadedSources {
  readonly documents: SourceDocument[];
  readonly sidecarProblems: SidecarProblem[];
}

/**
 * Reads a file or a directory (not recursive) into source documents,
 * following data/collateral/README.md: files whose name starts with `_` or
 * `.`, `README.md` and `*.meta.json` are not documents; a `<id>.meta.json`
 * next to a file is its metadata and wins over embedded metadata. Files of
 * unsupported types are still returned so ingestion rejects them with a reason.
 */
export function readSources(path: string): LoadedSources {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => !name.startsWith('_') && !name.startsWith('.'))
        .filter((name) => name !== 'README.md' && !name.endsWith('.meta.json'))
        .map((name) => join(path, name))
        .filter((file) => statSync(file).isFile())
        .sort()
    : [path];
  const documents: SourceDocument[] = [];
  const sidecarProblems: SidecarProblem[] = [];
  for (const file of files) {
    const name = basename(file);
    const dot = name.lastIndexOf('.');
    const sidecar = join(
      dirname(file),
      `${dot > 0 ? name.slice(0, dot) : name}.meta.json`,
    );
    let metadata: Record<string, unknown> | undefined;
    if (existsSync(sidecar)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(sidecar, 'utf8'));
        if (
          typeof parsed !== 'object' ||
          parsed === null ||
          Array.isArray(parsed)
        )
          throw new Error('not a JSON object');
        metadata = parsed as Record<string, unknown>;
      } catch (error) {
        sidecarProblems.push({
          source: name,
          reason: `sidecar ${basename(sidecar)}: ${(error as Error).message}`,
        });
      }
    }
    documents.push({
      name,
      content: readFileSync(file),
      ...(metadata ? { metadata } : {}),
    });
  }
  return { documents, sidecarProblems };
}
