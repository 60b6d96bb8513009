import { z } from 'zod';

/** Facts about an environment variable that zod itself does not carry. */
export interface EnvFieldMeta {
  /** The value must never appear in errors, warnings or generated docs. */
  readonly secret?: boolean;
  /**
   * Set only on telemetry settings: an invalid value is dropped with a
   * warning saying this consequence, instead of failing start-up.
   */
  readonly fallback?: string;
}

/**
 * Our own registry rather than `.meta()`: zod's registries follow clones
 * (`.describe()` returns a clone whose `_zod.parent` is the original), so the
 * metadata survives a later `.describe()` without leaking into the global
 * registry's JSON Schema output.
 */
export const envFieldRegistry = z.registry<EnvFieldMeta>();

/** Wrapper schema kinds whose inner schema is still "the same variable". */
const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'catch',
  'readonly',
  'nonoptional',
]);

/**
 * The schema and every schema it wraps, outermost first: metadata may sit on
 * any layer (`secret().optional().describe('…')` puts the description on the
 * outer optional and the secret flag on the inner schema).
 */
export function schemaLayers(schema: z.ZodType): z.ZodType[] {
  const layers: z.ZodType[] = [];
  let current: z.core.$ZodType | undefined = schema;
  while (current) {
    layers.push(current as z.ZodType);
    const def = current._zod.def as z.core.$ZodTypeDef & {
      innerType?: z.core.$ZodType;
      in?: z.core.$ZodType;
    };
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else current = undefined;
  }
  return layers;
}

/** The merged Fieldwise metadata of a field, looking through its wrappers. */
export function envFieldMeta(schema: z.ZodType): EnvFieldMeta {
  let secret = false;
  let fallback: string | undefined;
  for (const layer of schemaLayers(schema)) {
    const meta = envFieldRegistry.get(layer);
    if (meta?.secret) secret = true;
    fallback ??= meta?.fallback;
  }
  return fallback === undefined ? { secret } : { secret, fallback };
}

/** The first `.describe()` text found on the field or the schemas it wraps. */
export function envFieldDescription(schema: z.ZodType): string | undefined {
  for (const layer of schemaLayers(schema)) {
    if (layer.description !== undefined) return layer.description;
  }
  return undefined;
}

/**
 * Marks a telemetry setting: when its value is invalid, `loadConfig` drops it
 * (as if unset) and returns a warning naming `consequence`, instead of
 * refusing to start. The schema must accept `undefined` (optional or
 * defaulted). Use it for telemetry only: every other setting fails fast.
 */
export function telemetrySetting<T extends z.ZodType>(
  schema: T,
  consequence: string,
): T {
  const marked = schema.clone();
  envFieldRegistry.add(marked, {
    ...envFieldRegistry.get(schema),
    fallback: consequence,
  });
  return marked;
}
