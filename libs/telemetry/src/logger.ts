import { hostname } from 'node:os';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/** The text that replaces a redacted value in log lines. */
export const REDACT_CENSOR = '[redacted]';

/**
 * Log paths redacted by every Fieldwise logger, the gateway's Fastify logger
 * included: credentials wherever they appear, and request, response and
 * model payloads (payloads reach the audit stream redacted, never the logs).
 *
 * A top-level `message`/`messages`/`prompt`/`completion` property is treated
 * as user or model text and redacted; put the log line's own text in pino's
 * `msg` argument (`log.info({ id }, 'text')`), which is never redacted, as
 * is `err.message` of a logged error.
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = Object.freeze([
  // Credentials in HTTP and gRPC headers.
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-fieldwise-principal"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'metadata["x-fieldwise-principal"]',
  'metadata.authorization',
  // Credentials by name, at the top level and one level down.
  'authorization',
  'password',
  'token',
  'secret',
  'apiKey',
  'accessToken',
  'refreshToken',
  'privateKey',
  'clientSecret',
  '*.authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.accessToken',
  '*.refreshToken',
  '*.privateKey',
  '*.clientSecret',
  // Payloads and conversation text.
  'body',
  'payload',
  'req.body',
  'res.body',
  'request.body',
  'response.body',
  'message',
  'messages',
  'prompt',
  'completion',
]);

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** The service name, stamped on every line as `service`. */
  readonly name: string;
  /** Minimum level (`info` by default). */
  readonly level?: Level | 'silent';
  /** Where lines go (stdout by default); tests pass an in-memory stream. */
  readonly destination?: DestinationStream;
  /** Extra paths to redact, added to {@link DEFAULT_REDACT_PATHS}. */
  readonly redact?: readonly string[];
}

/**
 * The ids of the span active when a line is written, so logs join traces.
 * Reads the context at call time: pino calls the mixin for every line.
 */
function traceFields(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/**
 * A pino logger writing one JSON object per line with an ISO `time`, the
 * level as a word, `service`, `pid`, `hostname`, and `traceId`/`spanId` of
 * the active span. {@link DEFAULT_REDACT_PATHS} (plus `redact`) are replaced
 * by {@link REDACT_CENSOR}. Child loggers keep all of this.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: options.name, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: traceFields,
    redact: {
      paths: [...DEFAULT_REDACT_PATHS, ...(options.redact ?? [])],
      censor: REDACT_CENSOR,
    },
  };
  return options.destination
    ? pino(settings, options.destination)
    : pino(settings);
}
