import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { SECRET_KEYS, type DeployParams } from './params.js';
import { METRICS_PORT, serviceSpec, type ServiceSpec } from './services.js';

/** Where the writable data dir and the mounted configuration live in a pod. */
export const PATHS = {
  data: '/data',
  tmp: '/tmp',
  policyDir: '/etc/fieldwise/policy',
  guardrailsDir: '/etc/fieldwise/guardrails',
} as const;

/** Variables the runtime reads (not the app's config schema). */
export const RUNTIME_ENV = ['NODE_OPTIONS'] as const;

const value = (name: string, text: string): IEnvVar => ({ name, value: text });

const secret = (
  params: DeployParams,
  name: string,
  key: string,
  optional = false,
): IEnvVar => ({
  name,
  valueFrom: {
    secretKeyRef: {
      name: params.secretName,
      key,
      ...(optional ? { optional: true } : {}),
    },
  },
});

/** Mebibytes of a memory quantity such as `512Mi` or `2Gi`. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unsupported memory quantity ${quantity}`);
  const amount = Number(match[1]);
  return match[2] === 'Gi' ? amount * 1024 : amount;
}

/** `host:port` of a service inside the namespace. */
export function serviceAddress(spec: ServiceSpec): string {
  return `${spec.name}:${spec.port}`;
}

/** How long a service waits for in-flight work on SIGTERM (its SHUTDOWN_GRACE). */
export function shutdownGraceSeconds(spec: ServiceSpec): number {
  return spec.protocol === 'http' ? 20 : 10;
}

/**
 * The environment of one service's container, named exactly as its
 * config.ts reads it (a test checks every name against the schemas).
 */
export function serviceEnv(spec: ServiceSpec, params: DeployParams): IEnvVar[] {
  const own = params.services[spec.name];
  // The V8 heap gets three quarters of the memory limit; the rest is for
  // native memory (SQLite, gRPC buffers) so the kernel never OOM-kills first.
  const heap = Math.floor(mebibytes(own.resources.limits.memory) * 0.75);
  const env: IEnvVar[] = [
    value('NODE_OPTIONS', `--max-old-space-size=${heap}`),
    value('FIELDWISE_DATA_DIR', PATHS.data),
    value('LOG_LEVEL', params.logLevel),
    value('OTEL_SERVICE_NAME', spec.name),
    secret(params, 'FIELDWISE_PRINCIPAL_KEY', SECRET_KEYS.principalKey),
    value('SHUTDOWN_GRACE', `${shutdownGraceSeconds(spec)}s`),
  ];
  if (params.otelCollector) {
    env.push(value('OTEL_EXPORTER_OTLP_ENDPOINT', params.otelCollector.url));
  }
  if (spec.protocol === 'grpc') {
    env.push(
      value('FIELDWISE_GRPC_HOST', '0.0.0.0'),
      value('GRPC_PORT', String(spec.port)),
      value('METRICS_PORT', String(METRICS_PORT)),
    );
  }
  for (const callee of spec.calls) {
    const target = serviceSpec(callee);
    if (target.addressEnv) {
      env.push(value(target.addressEnv, serviceAddress(target)));
    }
  }
  if (spec.uses.includes('kafka') && params.kafka) {
    env.push(value('KAFKA_BROKERS', params.kafka.brokers.join(',')));
  }
  if (spec.databaseSecretKey && params.postgres) {
    env.push(secret(params, 'DATABASE_URL', spec.databaseSecretKey));
  }
  env.push(...ownEnv(spec, params));
  for (const [name, text] of Object.entries(own.env ?? {})) {
    env.push(value(name, text));
  }
  return env;
}

function ownEnv(spec: ServiceSpec, params: DeployParams): IEnvVar[] {
  switch (spec.name) {
    case 'gateway':
      return gatewayEnv(params);
    // The agent's model, and the eval service's LLM judge.
    case 'agent-service':
    case 'eval-service':
      return params.model.kind === 'openai'
        ? [
            secret(params, 'OPENAI_API_KEY', SECRET_KEYS.openaiApiKey),
            value('OPENAI_MODEL', params.model.chatModel),
            ...(params.model.baseUrl
              ? [value('OPENAI_BASE_URL', params.model.baseUrl)]
              : []),
          ]
        : [];
    case 'retrieval-service':
      return retrievalEnv(params);
    default:
      return [];
  }
}

function gatewayEnv(params: DeployParams): IEnvVar[] {
  const scheme = params.ingress.tlsSecretName ? 'https' : 'http';
  const env: IEnvVar[] = [
    value('HOST', '0.0.0.0'),
    value('PORT', String(serviceSpec('gateway').port)),
    value('PUBLIC_URL', `${scheme}://${params.ingress.host}`),
    value('AUTH_ISSUER', params.auth.issuer),
    value('AUTH_AUDIENCE', params.auth.audience),
    params.auth.kind === 'jwks'
      ? value('AUTH_JWKS_URL', params.auth.jwksUrl)
      : secret(params, 'AUTH_JWT_SECRET', SECRET_KEYS.jwtSecret),
    value(
      'AUTHZ_POLICY_PATH',
      params.policyMode === 'configmap'
        ? `${PATHS.policyDir}/policy.csv`
        : `${PATHS.data}/gateway/policy.csv`,
    ),
    value('GUARDRAILS_CONFIG_PATH', `${PATHS.guardrailsDir}/guardrails.json`),
  ];
  if (params.redis) {
    env.push(secret(params, 'REDIS_URL', SECRET_KEYS.redisUrl));
  }
  return env;
}

function retrievalEnv(params: DeployParams): IEnvVar[] {
  const env: IEnvVar[] = [];
  if (params.qdrant) {
    env.push(
      value('QDRANT_URL', params.qdrant.url),
      // A Qdrant without authentication needs no key.
      secret(params, 'QDRANT_API_KEY', SECRET_KEYS.qdrantApiKey, true),
    );
  }
  if (params.model.kind === 'openai') {
    env.push(
      value('RETRIEVAL_EMBEDDER', 'openai'),
      secret(params, 'OPENAI_API_KEY', SECRET_KEYS.openaiApiKey),
      value('EMBEDDINGS_MODEL', params.model.embeddingsModel),
      ...(params.model.baseUrl
        ? [value('OPENAI_BASE_URL', params.model.baseUrl)]
        : []),
    );
  } else {
    env.push(value('RETRIEVAL_EMBEDDER', 'local'));
  }
  return env;
}
