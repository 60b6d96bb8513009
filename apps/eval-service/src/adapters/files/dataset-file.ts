import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FieldwiseError } from '@fieldwise/errors';

/** A dataset file read from disk: its name (file name without `.jsonl`) and text. */
export interface DatasetFile {
  readonly name: string;
  readonly path: string;
  readonly jsonl: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Reads `<dir>/<name>.jsonl` (e.g. `data/eval/agent-v1.jsonl`). A name with
 * path characters is VALIDATION_FAILED; a missing file is NOT_FOUND.
 */
export async function readDatasetFile(
  dir: string,
  name: string,
): Promise<DatasetFile> {
  if (!NAME.test(name)) {
    throw new FieldwiseError(
      'VALIDATION_FAILED',
      `'${name}' is not a dataset name`,
      {
        violations: [
          { field: 'dataset', message: 'letters, digits, ".", "_" or "-"' },
        ],
      },
    );
  }
  const path = join(dir, `${name}.jsonl`);
  return readDatasetPath(path);
}

/** Reads a dataset JSONL file by path; its name is the file name without `.jsonl`. */
export async function readDatasetPath(path: string): Promise<DatasetFile> {
  try {
    const jsonl = await readFile(path, 'utf8');
    return { name: basename(path).replace(/\.jsonl$/, ''), path, jsonl };
  } catch (error) {
    throw new FieldwiseError(
      'NOT_FOUND',
      `dataset file '${path}' cannot be read`,
      {
        cause: error,
        context: { resource: 'dataset file', id: path },
      },
    );
  }
}
