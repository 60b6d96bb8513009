import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { FieldwiseError } from '@fieldwise/errors';

/** A running watch; `close()` stops it and cancels a pending reload. */
export interface PolicyWatch {
  close(): void;
}

/** Options of {@link watchPolicyFile}. */
export interface PolicyFileWatchOptions {
  readonly path: string;
  /** Quiet period after the last change before `onChange` runs. */
  readonly debounceMs: number;
  readonly logger: Logger;
  readonly onChange: () => void;
}

/**
 * Calls `onChange` once a burst of changes to `path` has settled. The
 * directory is watched, not the file: editors and ConfigMap updates replace
 * the file by rename, which a watch on the file itself would lose. Throws
 * `CONFIG_INVALID` when the directory cannot be watched.
 */
export function watchPolicyFile(options: PolicyFileWatchOptions): PolicyWatch {
  const name = basename(options.path);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = (): void => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) options.onChange();
    }, options.debounceMs);
    timer.unref();
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(options.path), (_event, filename) => {
      // Some platforms omit the name; a spurious reload is harmless.
      // Kubernetes ConfigMap volumes update by swapping the `..data` link.
      if (
        filename === null ||
        filename === name ||
        filename.startsWith('..data')
      ) {
        schedule();
      }
    });
  } catch (error) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Cannot watch the policy file ${options.path}`,
      {
        cause: error,
        context: { path: options.path },
      },
    );
  }
  watcher.on('error', (error) => {
    options.logger.error(
      { err: error, path: options.path },
      'policy file watch failed',
    );
  });
  watcher.unref();
  return {
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
    },
  };
}
