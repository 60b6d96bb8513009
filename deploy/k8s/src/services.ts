import type { ServiceName } from './params.js';

/** External systems a service may talk to (each an egress rule when configured). */
export type Dependency =
  'postgres' | 'kafka' | 'redis' | 'qdrant' | 'model' | 'otel' | 'oidc';

/** What the code of one app says about how it runs (ports, callers, dependencies). */
export interface ServiceSpec {
  readonly name: ServiceName;
  readonly protocol: 'http' | 'grpc';
  /** The port the app listens on, and the variable that sets it (its config.ts). */
  readonly port: number;
  readonly portEnv: 'PORT' | 'GRPC_PORT';
  /** The variable through which callers find this service (gRPC services only). */
  readonly addressEnv?: string;
  /** Services this one calls over gRPC. */
  readonly calls: readonly ServiceName[];
  /** External systems this one uses when they are configured. */
  readonly uses: readonly Dependency[];
  /** Where its DATABASE_URL comes from in the Secret, when it has a database. */
  readonly databaseSecretKey?: string;
  /** Seconds the startup probe allows (first start seeds or ingests). */
  readonly startupSeconds: number;
}

/** Default port of the Prometheus endpoint of the gRPC services (METRICS_PORT). */
export const METRICS_PORT = 9464;

/**
 * The five apps. Ports, address variables and call graph follow each app's
 * src/config.ts: the eval service calls the agent, and also the crm and
 * retrieval services (territories of a case's user, cited chunks).
 */
export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'gateway',
    protocol: 'http',
    port: 8080,
    portEnv: 'PORT',
    calls: [
      'agent-service',
      'crm-service',
      'retrieval-service',
      'eval-service',
    ],
    uses: ['redis', 'kafka', 'otel', 'oidc'],
    startupSeconds: 60,
  },
  {
    name: 'agent-service',
    protocol: 'grpc',
    port: 50051,
    portEnv: 'GRPC_PORT',
    addressEnv: 'AGENT_SERVICE_ADDR',
    calls: ['crm-service', 'retrieval-service'],
    uses: ['postgres', 'kafka', 'model', 'otel'],
    databaseSecretKey: 'agent-database-url',
    startupSeconds: 60,
  },
  {
    name: 'crm-service',
    protocol: 'grpc',
    port: 50052,
    portEnv: 'GRPC_PORT',
    addressEnv: 'CRM_SERVICE_ADDR',
    calls: [],
    uses: ['postgres', 'kafka', 'otel'],
    databaseSecretKey: 'crm-database-url',
    // An empty store is seeded with the GOLD dataset before the server binds.
    startupSeconds: 180,
  },
  {
    name: 'retrieval-service',
    protocol: 'grpc',
    port: 50053,
    portEnv: 'GRPC_PORT',
    addressEnv: 'RETRIEVAL_SERVICE_ADDR',
    calls: [],
    uses: ['qdrant', 'model', 'otel'],
    // The word-vector cache is built and the corpus ingested before it binds.
    startupSeconds: 300,
  },
  {
    name: 'eval-service',
    protocol: 'grpc',
    port: 50054,
    portEnv: 'GRPC_PORT',
    addressEnv: 'EVAL_SERVICE_ADDR',
    calls: ['agent-service', 'crm-service', 'retrieval-service'],
    // The model is the LLM judge's, when a run asks for it.
    uses: ['postgres', 'kafka', 'model', 'otel'],
    databaseSecretKey: 'eval-database-url',
    startupSeconds: 60,
  },
];

/** The spec of one service; throws for an unknown name. */
export function serviceSpec(name: ServiceName): ServiceSpec {
  const spec = SERVICES.find((service) => service.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return spec;
}
