import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ENVIRONMENTS,
  REPO_ROOT,
  RUNTIME_ENV,
  SECRET_KEYS,
  SERVICES,
  serviceEnv,
  serviceSpec,
  type ServiceName,
} from '../src/index.js';

/** The zod schema each app's src/config.ts exports. */
const SCHEMA_EXPORTS: Record<ServiceName, string> = {
  gateway: 'gatewayEnvSchema',
  'agent-service': 'agentEnvSchema',
  'crm-service': 'crmEnvSchema',
  'retrieval-service': 'retrievalEnvSchema',
  'eval-service': 'evalEnvSchema',
};

interface EnvSchema {
  readonly shape: Record<string, unknown>;
  safeParse(input: unknown): {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };
}

async function schemaOf(name: ServiceName): Promise<EnvSchema> {
  // Imported by path at run time: the apps are not dependencies of this
  // package, and their schemas are the single truth about variable names.
  const url = pathToFileURL(join(REPO_ROOT, 'apps', name, 'src', 'config.ts'));
  const module = (await import(url.href)) as Record<string, EnvSchema>;
  const schema = module[SCHEMA_EXPORTS[name]];
  if (!schema) throw new Error(`${name}: no ${SCHEMA_EXPORTS[name]}`);
  return schema;
}

/** Plausible values for what the Secret holds, so the schemas can parse them. */
const SECRET_VALUES: Record<string, string> = {
  [SECRET_KEYS.principalKey]: Buffer.alloc(32, 7).toString('base64'),
  [SECRET_KEYS.jwtSecret]: Buffer.alloc(32, 9).toString('base64'),
  [SECRET_KEYS.openaiApiKey]: 'sk-test',
  [SECRET_KEYS.qdrantApiKey]: 'qdrant-key',
  [SECRET_KEYS.redisUrl]: 'rediss://default:pw@redis.example:6379',
  [SECRET_KEYS.agentDatabaseUrl]: 'postgres://agent:pw@db:5432/agent',
  [SECRET_KEYS.crmDatabaseUrl]: 'postgres://crm:pw@db:5432/crm',
  [SECRET_KEYS.evalDatabaseUrl]: 'postgres://eval:pw@db:5432/eval',
};

describe.each(
  ENVIRONMENTS.flatMap((params) =>
    SERVICES.map(
      (spec) =>
        [`${params.environment} ${spec.name}`, params, spec.name] as const,
    ),
  ),
)('%s environment', (_label, params, name) => {
  const env = serviceEnv(serviceSpec(name), params);

  it('names only variables its config.ts reads (or the Node runtime)', async () => {
    const schema = await schemaOf(name);
    const known = new Set<string>([
      ...Object.keys(schema.shape),
      ...RUNTIME_ENV,
    ]);
    const unknown = env.map((entry) => entry.name).filter((n) => !known.has(n));
    expect(unknown).toEqual([]);
    const names = env.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('passes its config schema with the Secret filled in', async () => {
    const schema = await schemaOf(name);
    const values: Record<string, string> = {};
    for (const entry of env) {
      const key = entry.valueFrom?.secretKeyRef?.key;
      const value = key === undefined ? entry.value : SECRET_VALUES[key];
      expect(value, entry.name).toBeDefined();
      values[entry.name] = value ?? '';
    }
    const result = schema.safeParse(values);
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });
});
