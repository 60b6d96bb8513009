/** Runs tasks one at a time, in call order. */
export interface SerialQueue {
  /** Runs `task` after every earlier task settled; resolves or rejects with its outcome. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * A promise-chain queue. A failed task does not stop the ones queued
 * after it.
 */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
