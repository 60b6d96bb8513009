import type { DeployParams, Endpoint, ServiceParams } from './params.js';

/** Private ranges: "the internet" egress rules leave the cluster's own networks out. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

const internetHttps: Endpoint = {
  peer: { kind: 'cidr', cidr: '0.0.0.0/0', except: PRIVATE_RANGES },
  port: 443,
};

const small = (memory: string, limit: string): ServiceParams => ({
  resources: {
    requests: { cpu: '100m', memory },
    limits: { cpu: '1', memory: limit },
  },
  scaling: { minReplicas: 1, maxReplicas: 1, targetCpuPercent: 80 },
  dataSizeLimit: '1Gi',
});

/**
 * A developer cluster (kind, minikube): one replica each, the offline
 * planner and the embedded vector index, Kafka, PostgreSQL and Redis from a
 * `fieldwise-deps` namespace, an editable policy (PUT /v1/policy works).
 */
export const devParams: DeployParams = {
  environment: 'dev',
  namespace: 'fieldwise-dev',
  imageRegistry: 'localhost:5001/fieldwise',
  imageTag: 'dev',
  imagePullPolicy: 'IfNotPresent',
  logLevel: 'debug',
  ingress: {
    host: 'fieldwise.localtest.me',
    className: 'nginx',
    controllerNamespace: 'ingress-nginx',
  },
  monitoringNamespace: 'monitoring',
  secretName: 'fieldwise-secrets',
  auth: { kind: 'hs256', issuer: 'fieldwise-dev', audience: 'fieldwise-api' },
  policyMode: 'editable',
  postgres: {
    peer: {
      kind: 'pods',
      namespace: 'fieldwise-deps',
      podLabels: { 'app.kubernetes.io/name': 'postgresql' },
    },
    port: 5432,
  },
  kafka: {
    peer: {
      kind: 'pods',
      namespace: 'fieldwise-deps',
      podLabels: { 'app.kubernetes.io/name': 'kafka' },
    },
    port: 9092,
    brokers: ['kafka.fieldwise-deps.svc.cluster.local:9092'],
  },
  redis: {
    peer: {
      kind: 'pods',
      namespace: 'fieldwise-deps',
      podLabels: { 'app.kubernetes.io/name': 'redis' },
    },
    port: 6379,
  },
  model: { kind: 'offline' },
  otelCollector: {
    peer: {
      kind: 'pods',
      namespace: 'observability',
      podLabels: { 'app.kubernetes.io/name': 'opentelemetry-collector' },
    },
    port: 4318,
    url: 'http://otel-collector.observability.svc.cluster.local:4318',
  },
  services: {
    gateway: small('256Mi', '512Mi'),
    'agent-service': small('256Mi', '768Mi'),
    'crm-service': small('256Mi', '768Mi'),
    'retrieval-service': small('512Mi', '1536Mi'),
    'eval-service': small('256Mi', '512Mi'),
  },
};

/**
 * Production, sized by the capacity plan in deploy/README.md (10,000
 * sellers): managed PostgreSQL and Redis on private ranges, Kafka, Qdrant
 * and the Collector in their own namespaces, OpenAI over the internet, OIDC
 * tokens checked against the issuer's JWKS, the policy from its ConfigMap.
 */
export const productionParams: DeployParams = {
  environment: 'production',
  namespace: 'fieldwise',
  imageRegistry: 'registry.example.com/fieldwise',
  imageTag: '0.1.0',
  imagePullPolicy: 'IfNotPresent',
  logLevel: 'info',
  ingress: {
    host: 'fieldwise.example.com',
    className: 'nginx',
    tlsSecretName: 'fieldwise-tls',
    controllerNamespace: 'ingress-nginx',
    annotations: {
      // Chat answers stream as SSE: no buffering, long reads.
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '300',
      'nginx.ingress.kubernetes.io/proxy-body-size': '1m',
    },
  },
  monitoringNamespace: 'monitoring',
  secretName: 'fieldwise-secrets',
  auth: {
    kind: 'jwks',
    jwksUrl: 'https://login.example.com/.well-known/jwks.json',
    issuer: 'https://login.example.com/',
    audience: 'fieldwise-api',
    endpoint: internetHttps,
  },
  policyMode: 'configmap',
  postgres: { peer: { kind: 'cidr', cidr: '10.20.0.0/24' }, port: 5432 },
  kafka: {
    peer: {
      kind: 'pods',
      namespace: 'kafka',
      podLabels: { 'app.kubernetes.io/name': 'kafka' },
    },
    port: 9092,
    brokers: [
      'kafka-0.kafka-headless.kafka.svc.cluster.local:9092',
      'kafka-1.kafka-headless.kafka.svc.cluster.local:9092',
      'kafka-2.kafka-headless.kafka.svc.cluster.local:9092',
    ],
  },
  redis: { peer: { kind: 'cidr', cidr: '10.20.1.0/24' }, port: 6379 },
  qdrant: {
    peer: {
      kind: 'pods',
      namespace: 'qdrant',
      podLabels: { 'app.kubernetes.io/name': 'qdrant' },
    },
    port: 6333,
    url: 'http://qdrant.qdrant.svc.cluster.local:6333',
  },
  model: {
    kind: 'openai',
    chatModel: 'gpt-4o-mini',
    embeddingsModel: 'text-embedding-3-small',
    endpoint: internetHttps,
  },
  otelCollector: {
    peer: {
      kind: 'pods',
      namespace: 'observability',
      podLabels: { 'app.kubernetes.io/name': 'opentelemetry-collector' },
    },
    port: 4318,
    url: 'http://otel-collector.observability.svc.cluster.local:4318',
  },
  services: {
    gateway: {
      resources: {
        requests: { cpu: '1', memory: '512Mi' },
        limits: { cpu: '2', memory: '1Gi' },
      },
      scaling: { minReplicas: 3, maxReplicas: 10, targetCpuPercent: 65 },
      dataSizeLimit: '2Gi',
      env: { AUDIT_OUTBOX_SYNC: 'FULL', RATE_LIMIT_REDIS_FAILURE: 'open' },
    },
    'agent-service': {
      resources: {
        requests: { cpu: '500m', memory: '768Mi' },
        limits: { cpu: '2', memory: '1536Mi' },
      },
      scaling: { minReplicas: 3, maxReplicas: 8, targetCpuPercent: 65 },
      dataSizeLimit: '2Gi',
    },
    'crm-service': {
      resources: {
        requests: { cpu: '1', memory: '512Mi' },
        limits: { cpu: '2', memory: '1Gi' },
      },
      scaling: { minReplicas: 2, maxReplicas: 8, targetCpuPercent: 65 },
      dataSizeLimit: '1Gi',
      env: { CRM_SEED: 'false', CRM_REFERENCE_DATE: 'today' },
    },
    'retrieval-service': {
      resources: {
        requests: { cpu: '500m', memory: '1Gi' },
        limits: { cpu: '2', memory: '2Gi' },
      },
      scaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 65 },
      dataSizeLimit: '4Gi',
    },
    'eval-service': {
      resources: {
        requests: { cpu: '250m', memory: '512Mi' },
        limits: { cpu: '1', memory: '1Gi' },
      },
      scaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 75 },
      dataSizeLimit: '2Gi',
    },
  },
};

/** Every environment, by the directory name it renders to. */
export const ENVIRONMENTS: readonly DeployParams[] = [
  devParams,
  productionParams,
];
