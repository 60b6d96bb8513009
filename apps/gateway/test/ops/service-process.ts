import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@fieldwise/testing';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** A built Fieldwise app (`apps/<app>/dist/main.js`) running as a child process. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Every JSON log line it wrote so far. */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the exit code (or signal name) once it exited. */
  readonly exited: Promise<number | string>;
  /** Sends SIGTERM (or another signal). */
  signal(signal?: NodeJS.Signals): void;
  /** Kills it hard if it still runs (teardown). */
  kill(): Promise<void>;
}

/**
 * Spawns `node apps/<app>/dist/main.js` with `env` over this process's
 * environment; stdout lines that are JSON are kept for assertions, the rest
 * is dropped (tests must not print).
 */
export function spawnService(
  app: string,
  env: Readonly<Record<string, string>>,
): ServiceProcess {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'apps', app, 'dist', 'main.js')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log line.
      }
    }
  });
  child.stderr?.resume();
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    lines,
    exited,
    signal: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Waits until `GET url` answers 200 (a readiness probe). */
export async function waitReady(
  url: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(url)).status === 200;
      } catch {
        return false;
      }
    },
    { timeoutMs, description: `${url} to answer 200` },
  );
}
