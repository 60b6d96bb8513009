import { FieldwiseError, type FieldViolation } from '@fieldwise/errors';
import type { z } from 'zod';
import { deepFreeze, type DeepReadonly } from './deep-freeze.js';
import { envFieldDescription, envFieldMeta } from './env-metadata.js';

/** Where variables come from: `process.env` or a plain record in tests. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** A telemetry setting that was invalid and was dropped instead of failing. */
export interface ConfigWarning {
  /** The environment variable's name. */
  readonly variable: string;
  /** What was wrong and what happens instead; never contains the value. */
  readonly message: string;
}

/** The result of {@link loadConfigWithWarnings}. */
export interface LoadedConfig<T> {
  readonly config: DeepReadonly<T>;
  readonly warnings: readonly ConfigWarning[];
}

// Secrets shorter than this are not scrubbed from messages: replacing every
// occurrence of a one- or two-letter string would garble the message, and a
// value that short cannot be a meaningful credential.
const MIN_SCRUBBED_SECRET_LENGTH = 4;
const REDACTED = '[redacted]';

const warningsByConfig = new WeakMap<object, readonly ConfigWarning[]>();

/**
 * Validates environment variables against a zod object schema and returns the
 * typed, deep-frozen result plus warnings.
 *
 * - Only the schema's own keys are read; unknown variables are ignored.
 * - A variable set to an empty or blank string counts as unset, so `FOO=`
 *   in an env file picks the default.
 * - Every problem is reported at once: on failure it throws
 *   `FieldwiseError('CONFIG_INVALID')` whose message lists each bad variable
 *   with the reason and whose `violations` hold one entry per variable.
 * - Values of `secret()` fields never appear in messages.
 * - Fields marked with `telemetrySetting()` never fail: an invalid value is
 *   dropped (as if unset) and reported as a warning.
 */
export function loadConfigWithWarnings<S extends z.ZodObject>(
  schema: S,
  env: EnvSource = process.env,
): LoadedConfig<z.output<S>> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const input: Record<string, string | undefined> = {};
  const secrets: string[] = [];
  const warnings: ConfigWarning[] = [];

  for (const [name, field] of Object.entries(shape)) {
    const raw = env[name];
    const value = raw === undefined || raw.trim() === '' ? undefined : raw;
    const meta = envFieldMeta(field);
    if (meta.secret && value !== undefined) secrets.push(value, value.trim());
    if (meta.fallback !== undefined && value !== undefined) {
      const checked = field.safeParse(value);
      if (!checked.success) {
        const reasons = checked.error.issues
          .map((issue) => issue.message)
          .join('; ');
        warnings.push({
          variable: name,
          message: scrub(`${name} ${reasons}; ${meta.fallback}`, secrets),
        });
        input[name] = undefined;
        continue;
      }
    }
    input[name] = value;
  }

  const result = schema.safeParse(input);
  if (!result.success) {
    throw configError(result.error.issues, shape, input, secrets);
  }
  const config = deepFreeze(result.data);
  const frozenWarnings = Object.freeze(warnings.map((w) => Object.freeze(w)));
  if (config !== null && typeof config === 'object') {
    warningsByConfig.set(config, frozenWarnings);
  }
  return { config, warnings: frozenWarnings };
}

/**
 * Like {@link loadConfigWithWarnings} but returns the configuration alone;
 * its warnings stay available through {@link configWarnings}, so a service
 * can log them once its logger (configured from this config) exists.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: EnvSource = process.env,
): DeepReadonly<z.output<S>> {
  return loadConfigWithWarnings(schema, env).config;
}

/**
 * The warnings produced when `config` was loaded; empty for objects that did
 * not come from `loadConfig`.
 */
export function configWarnings(config: object): readonly ConfigWarning[] {
  return warningsByConfig.get(config) ?? [];
}

function configError(
  issues: readonly z.core.$ZodIssue[],
  shape: Record<string, z.ZodType>,
  input: Record<string, string | undefined>,
  secrets: readonly string[],
): FieldwiseError {
  const reasonsByField = new Map<string, string[]>();
  for (const issue of issues) {
    const field =
      issue.path.length === 0 ? '(config)' : issue.path.map(String).join('.');
    const name = String(issue.path[0] ?? '');
    const unset = issue.path.length === 1 && input[name] === undefined;
    let reason = issue.message;
    if (unset && issue.code === 'invalid_type') {
      const description = shape[name]
        ? envFieldDescription(shape[name])
        : undefined;
      reason = description
        ? `is required but not set (${description})`
        : 'is required but not set';
    }
    const reasons = reasonsByField.get(field) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    reasonsByField.set(field, reasons);
  }

  const violations: FieldViolation[] = [...reasonsByField].map(
    ([field, reasons]) => ({
      field,
      message: scrub(reasons.join('; '), secrets),
    }),
  );
  const count = violations.length;
  const lines = violations.map((v) => `- ${v.field}: ${v.message}`);
  const message = `Invalid configuration (${count} ${count === 1 ? 'problem' : 'problems'}):\n${lines.join('\n')}`;
  return new FieldwiseError('CONFIG_INVALID', message, {
    violations,
    context: { problems: count },
  });
}

function scrub(message: string, secrets: readonly string[]): string {
  let scrubbed = message;
  for (const value of secrets) {
    if (value.length >= MIN_SCRUBBED_SECRET_LENGTH) {
      scrubbed = scrubbed.split(value).join(REDACTED);
    }
  }
  return scrubbed;
}
