import type { Deadline } from '@grpc/grpc-js';

/** Server-side deadline policy. */
export interface DeadlineOptions {
  /** Applied to calls that arrive without a deadline; default 30 s. */
  readonly defaultMs?: number;
  /** Upper bound for any call, whatever the client asked; default 5 min. */
  readonly maxMs?: number;
}

export const DEFAULT_SERVER_DEADLINE_MS = 30_000;
export const MAX_SERVER_DEADLINE_MS = 300_000;

/** The deadline a call actually gets: the client's, else the default, never past the max. */
export function effectiveDeadline(
  clientDeadline: Deadline,
  options: DeadlineOptions,
  now = Date.now(),
): Date {
  const maxMs = options.maxMs ?? MAX_SERVER_DEADLINE_MS;
  const defaultMs = Math.min(
    options.defaultMs ?? DEFAULT_SERVER_DEADLINE_MS,
    maxMs,
  );
  const requested =
    clientDeadline instanceof Date ? clientDeadline.getTime() : clientDeadline;
  const fromClient = Number.isFinite(requested) ? requested : now + defaultMs;
  return new Date(Math.min(fromClient, now + maxMs));
}
