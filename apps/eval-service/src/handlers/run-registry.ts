import type { CaseResult, Run, Threshold } from '../domain/index.js';

/** What a progress listener hears: a finished case, or the run stopping. */
export type RunNotice =
  | { readonly kind: 'case'; readonly run: Run; readonly result: CaseResult }
  | { readonly kind: 'stopped'; readonly run: Run | undefined };

type Listener = (notice: RunNotice) => void;

interface Active {
  readonly controller: AbortController;
  done: Promise<void>;
  readonly listeners: Set<Listener>;
}

/**
 * The runs this process is executing: their abort controllers, completion,
 * progress listeners (StreamRunProgress) and the thresholds they were
 * started with. In-process only: after a restart an interrupted run is
 * `running` in the store but not here, which is what lets it be resumed.
 */
export class RunRegistry {
  private readonly active = new Map<string, Active>();
  private readonly thresholds = new Map<string, readonly Threshold[]>();

  /** True while this process executes the run. */
  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Thresholds the run was started with (empty when unknown). */
  thresholdsOf(runId: string): readonly Threshold[] {
    return this.thresholds.get(runId) ?? [];
  }

  setThresholds(runId: string, thresholds: readonly Threshold[]): void {
    if (thresholds.length > 0) this.thresholds.set(runId, thresholds);
  }

  /**
   * Registers an execution and starts it with the registry's abort signal;
   * `execute` must resolve with the run as it stopped. Listeners hear each
   * case (through `notify`) and the stop. Errors are the executor's to log.
   */
  start(
    runId: string,
    execute: (
      signal: AbortSignal,
      notify: (result: CaseResult, run: Run) => void,
    ) => Promise<Run | undefined>,
  ): void {
    const entry: Active = {
      controller: new AbortController(),
      done: Promise.resolve(),
      listeners: new Set(),
    };
    this.active.set(runId, entry);
    const emit = (notice: RunNotice): void => {
      for (const listener of entry.listeners) listener(notice);
    };
    entry.done = execute(entry.controller.signal, (result, run) =>
      emit({ kind: 'case', run, result }),
    ).then((run) => {
      this.active.delete(runId);
      emit({ kind: 'stopped', run });
    });
  }

  /** Aborts an active run and waits until it stopped; false when not active. */
  async cancel(runId: string): Promise<boolean> {
    const entry = this.active.get(runId);
    if (!entry) return false;
    entry.controller.abort();
    await entry.done;
    return true;
  }

  /** Subscribes to an active run; undefined when it is not active. Returns the unsubscribe. */
  subscribe(runId: string, listener: Listener): (() => void) | undefined {
    const entry = this.active.get(runId);
    if (!entry) return undefined;
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Aborts every active run and waits for them (shutdown); they end `cancelled` and can be resumed. */
  async stopAll(): Promise<void> {
    const entries = [...this.active.values()];
    for (const entry of entries) entry.controller.abort();
    await Promise.all(entries.map((entry) => entry.done));
  }
}
