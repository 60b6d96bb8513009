import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { FieldwiseError } from '@fieldwise/errors';
import { z } from 'zod';
import { envFieldRegistry } from './env-metadata.js';

/**
 * Builds a field that reads one environment variable (always a string) and
 * turns it into `T`. `parse` returns `undefined` for an invalid value; the
 * issue then says what was expected and never echoes the value, so a
 * misplaced secret cannot leak through a config error.
 */
function envValue<T>(
  expectation: string,
  parse: (raw: string) => T | undefined,
) {
  return z.string().transform((raw, ctx): T => {
    const value = parse(raw.trim());
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be ${expectation}` });
      return z.NEVER;
    }
    return value;
  });
}

function parseInteger(
  raw: string,
  min: number,
  max: number,
): number | undefined {
  if (!/^[-+]?\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= min && value <= max
    ? value
    : undefined;
}

/**
 * A TCP port (0–65535; 0 asks the OS for a free one, which tests use).
 * Without `defaultPort` the variable is required.
 */
export function port(defaultPort?: number) {
  const field = envValue('an integer port between 0 and 65535', (raw) =>
    parseInteger(raw, 0, 65_535),
  );
  return defaultPort === undefined
    ? field
    : field.prefault(String(defaultPort));
}

/**
 * An integer within `[min, max]`. Without `defaultValue` the variable is
 * required.
 */
export function int(min: number, max: number, defaultValue?: number) {
  const field = envValue(`an integer between ${min} and ${max}`, (raw) =>
    parseInteger(raw, min, max),
  );
  return defaultValue === undefined
    ? field
    : field.prefault(String(defaultValue));
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses `250ms`, `30s`, `5m`, `2h`, `1d` or a bare number of milliseconds
 * into whole milliseconds; `undefined` when the text is not a duration.
 */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(raw.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'ms').toLowerCase();
  const ms = Math.round(
    Number(match[1]) * (DURATION_UNITS_MS[unit] ?? Number.NaN),
  );
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Bounds of a {@link duration} field, in the same notation as the value. */
export interface DurationBounds {
  readonly min?: string | number;
  readonly max?: string | number;
}

function boundMs(bound: string | number | undefined, fallback: number): number {
  if (bound === undefined) return fallback;
  const ms = typeof bound === 'number' ? bound : parseDuration(bound);
  if (ms === undefined) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `invalid duration bound '${bound}'`,
    );
  }
  return ms;
}

/**
 * A duration (`250ms`, `30s`, `5m`, `2h`, `1d`, or bare milliseconds), read as
 * whole milliseconds. `defaultValue` uses the same notation; without it the
 * variable is required.
 */
export function duration(
  defaultValue?: string | number,
  bounds: DurationBounds = {},
) {
  const min = boundMs(bounds.min, 0);
  const max = boundMs(bounds.max, Number.MAX_SAFE_INTEGER);
  const range =
    bounds.min === undefined && bounds.max === undefined
      ? ''
      : ` between ${min}ms and ${max}ms`;
  const field = envValue(
    `a duration such as 500ms, 30s, 5m or 1h${range}`,
    (raw) => {
      const ms = parseDuration(raw);
      return ms !== undefined && ms >= min && ms <= max ? ms : undefined;
    },
  );
  return defaultValue === undefined
    ? field
    : field.prefault(String(defaultValue));
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** A boolean written as true/false, 1/0 or yes/no (any case). */
export function bool(defaultValue: boolean) {
  return envValue('one of true, false, 1, 0, yes, no', (raw) => {
    const word = raw.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return undefined;
  }).prefault(String(defaultValue));
}

/**
 * A comma-separated list, trimmed, empty items dropped (`a, b,,c` →
 * `['a','b','c']`). Unset gives `defaultValue` (empty by default).
 */
export function csv(defaultValue: readonly string[] = []) {
  return envValue('a comma-separated list', (raw) =>
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  ).prefault(defaultValue.join(','));
}

/** Options of {@link url}. */
export interface UrlOptions {
  /** Accepted schemes with their colon, e.g. `['http:', 'https:']`. Any when omitted. */
  readonly protocols?: readonly string[];
}

function urlField(options: UrlOptions) {
  const protocols = options.protocols;
  const expectation =
    protocols === undefined
      ? 'an absolute URL'
      : `an absolute URL using ${protocols.map((p) => p.replace(/:$/, '')).join(' or ')}`;
  return envValue(expectation, (raw) => {
    if (!URL.canParse(raw)) return undefined;
    const parsed = new URL(raw);
    if (protocols !== undefined && !protocols.includes(parsed.protocol))
      return undefined;
    // The text as written: `new URL` would add a trailing slash that breaks
    // clients which append paths themselves.
    return raw;
  });
}

/** A required absolute URL, returned as written (trimmed). */
export function url(options: UrlOptions = {}) {
  return urlField(options);
}

/** An absolute URL, or `undefined` when unset. */
export function optionalUrl(options: UrlOptions = {}) {
  return urlField(options).optional();
}

/** pino's level names, `silent` included. */
export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const;

/** A pino log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A pino log level (`info` unless another default is given). */
export function logLevel(defaultLevel: LogLevel = 'info') {
  return oneOf(LOG_LEVELS, defaultLevel);
}

/**
 * One of a fixed set of words, matched exactly. Without `defaultValue` the
 * variable is required.
 */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  defaultValue?: T[number],
) {
  const allowed = new Set<string>(values);
  const field = envValue(`one of ${values.join(', ')}`, (raw) =>
    allowed.has(raw) ? (raw as T[number]) : undefined,
  );
  return defaultValue === undefined ? field : field.prefault(defaultValue);
}

/** A required non-empty string. Unset gives `defaultValue` when one is given. */
export function text(defaultValue?: string) {
  const field = envValue('a non-empty string', (raw) =>
    raw.length > 0 ? raw : undefined,
  );
  return defaultValue === undefined ? field : field.prefault(defaultValue);
}

/** A non-empty string, or `undefined` when unset. */
export function optionalText() {
  return text().optional();
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A host name or IP address to bind or connect to (no scheme, no port). */
export function host(defaultHost?: string) {
  const field = envValue(
    'a host name or IP address (no scheme or port)',
    (raw) => (isIP(raw) !== 0 || HOSTNAME.test(raw) ? raw : undefined),
  );
  return defaultHost === undefined ? field : field.prefault(defaultHost);
}

/** Options of {@link secret}. */
export interface SecretOptions {
  /** Minimum length of the text (default 1). */
  readonly minLength?: number;
  /** The value must be base64 (standard or URL-safe alphabet). */
  readonly base64?: boolean;
  /** With `base64`, the minimum number of decoded bytes. */
  readonly minBytes?: number;
}

function secretField(options: SecretOptions) {
  const minLength = options.minLength ?? 1;
  const kind = options.base64 ? 'a base64 secret' : 'a secret';
  const size = options.base64
    ? ` encoding at least ${options.minBytes ?? 1} bytes`
    : minLength > 1
      ? ` of at least ${minLength} characters`
      : ' (non-empty)';
  const field = envValue(`${kind}${size}`, (raw) => {
    if (raw.length < minLength) return undefined;
    if (options.base64) {
      if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) return undefined;
      if (Buffer.from(raw, 'base64').length < (options.minBytes ?? 1))
        return undefined;
    }
    return raw;
  });
  envFieldRegistry.add(field, { secret: true });
  return field;
}

/**
 * A required secret (API key, signing key). Its value is never written into
 * config errors, warnings or generated docs; `loadConfig` also scrubs it from
 * messages of custom refinements.
 */
export function secret(options: SecretOptions = {}) {
  return secretField(options);
}

/** A secret that may be unset (`undefined`). See {@link secret}. */
export function optionalSecret(options: SecretOptions = {}) {
  return secretField(options).optional();
}

/**
 * A directory for local state, resolved to an absolute path against the
 * working directory at load time (`.data` unless another default is given).
 */
export function dataDir(defaultDir = '.data') {
  return envValue('a directory path', (raw) =>
    raw.length > 0 ? resolve(raw) : undefined,
  ).prefault(defaultDir);
}
