import type { z } from 'zod';
import {
  envFieldDescription,
  envFieldMeta,
  schemaLayers,
} from './env-metadata.js';

/** One environment variable as documented in a README table. */
export interface EnvRow {
  readonly name: string;
  /** The default as it would be written in the environment; `undefined` when none. */
  readonly default: string | undefined;
  /** The field's `.describe()` text; `undefined` when it has none. */
  readonly description: string | undefined;
  /** True when start-up fails without it. */
  readonly required: boolean;
  /** True for `secret()` fields: never show an example value for them. */
  readonly secret: boolean;
}

/**
 * Lists the variables of an env schema, in schema order, from its
 * `.describe()` metadata, so a README table can be generated from the schema
 * and checked against it. `required` is decided by parsing "unset", so it is
 * exactly what `loadConfig` would do.
 */
export function describeEnv(schema: z.ZodObject): EnvRow[] {
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, field]) => {
    const { secret = false } = envFieldMeta(field);
    const fallback = defaultText(field);
    return {
      name,
      default: secret && fallback !== undefined ? '(hidden)' : fallback,
      description: envFieldDescription(field),
      required: !field.safeParse(undefined).success,
      secret,
    };
  });
}

function defaultText(field: z.ZodType): string | undefined {
  for (const layer of schemaLayers(field)) {
    const def = layer._zod.def as z.core.$ZodTypeDef & {
      defaultValue?: unknown;
    };
    // A prefault holds the raw env text; a default holds the parsed output.
    if (def.type === 'prefault' || def.type === 'default') {
      return formatDefault(def.defaultValue);
    }
  }
  return undefined;
}

function formatDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'string') return value;
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return String(value);
  }
  return JSON.stringify(value);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Renders rows as a Markdown table (Variable, Required, Default,
 * Description), ending with a newline. An empty default is shown as `""`.
 */
export function formatEnvTable(rows: readonly EnvRow[]): string {
  const lines = [
    '| Variable | Required | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => {
      const fallback =
        row.default === undefined
          ? ''
          : row.default === ''
            ? '`""`'
            : `\`${cell(row.default)}\``;
      return `| \`${row.name}\` | ${row.required ? 'yes' : 'no'} | ${fallback} | ${cell(row.description ?? '')} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
