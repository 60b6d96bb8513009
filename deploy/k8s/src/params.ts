/**
 * The parameters of one environment. Everything that differs between dev
 * and production lives here; the builders in this package turn it into
 * Kubernetes objects and never branch on the environment's name.
 */

/** The five deployable apps, named as their directories under `apps/`. */
export type ServiceName =
  | 'gateway'
  | 'agent-service'
  | 'crm-service'
  | 'retrieval-service'
  | 'eval-service';

/**
 * Where a dependency outside this namespace is, for NetworkPolicy egress:
 * pods in another namespace of the cluster, or an address range (a managed
 * service, the internet).
 */
export type Peer =
  | {
      readonly kind: 'pods';
      readonly namespace: string;
      readonly podLabels: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'cidr';
      readonly cidr: string;
      readonly except?: readonly string[];
    };

/** A network endpoint the services talk to. */
export interface Endpoint {
  readonly peer: Peer;
  readonly port: number;
}

/** CPU and memory of one container (Kubernetes quantities). */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** How many pods one service runs and when it scales. */
export interface Scaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilisation (percent of requests) the HPA aims for. */
  readonly targetCpuPercent: number;
}

/** The per-service settings of an environment. */
export interface ServiceParams {
  readonly resources: Resources;
  readonly scaling: Scaling;
  /** Size limit of the writable data dir (an emptyDir at /data). */
  readonly dataSizeLimit: string;
  /** Extra environment (plain values), e.g. tuning knobs. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The language model endpoint (agent) and the embeddings endpoint (retrieval). */
export type ModelParams =
  | { readonly kind: 'offline' }
  | {
      readonly kind: 'openai';
      /** Unset: api.openai.com; else an OpenAI-compatible server's /v1 URL. */
      readonly baseUrl?: string;
      readonly chatModel: string;
      readonly embeddingsModel: string;
      readonly endpoint: Endpoint;
    };

/** How the gateway gets its authorization policy. */
export type PolicyMode =
  /**
   * The ConfigMap is the policy of record, mounted read-only and watched:
   * `kubectl apply` of a new ConfigMap reaches every replica within the
   * kubelet sync period. PUT /v1/policy cannot write it.
   */
  | 'configmap'
  /**
   * An init container copies the ConfigMap into the pod's data dir once and
   * the gateway edits that copy (PUT /v1/policy). Only for one replica:
   * copies of several replicas would drift.
   */
  | 'editable';

/** One environment's parameters. */
export interface DeployParams {
  readonly environment: 'dev' | 'production';
  readonly namespace: string;
  /** Image registry and repository prefix; images are `<registry>/<service>:<tag>`. */
  readonly imageRegistry: string;
  readonly imageTag: string;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly logLevel: string;
  readonly ingress: {
    readonly host: string;
    readonly className: string;
    /** Secret holding the TLS certificate; unset: plain HTTP (dev only). */
    readonly tlsSecretName?: string;
    /** Namespace of the ingress controller: the only source of outside traffic. */
    readonly controllerNamespace: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  /** Namespace of Prometheus, allowed to scrape the metrics ports. */
  readonly monitoringNamespace: string;
  /** Secret holding keys and connection strings; see {@link SECRET_KEYS}. */
  readonly secretName: string;
  readonly auth:
    | {
        readonly kind: 'hs256';
        readonly issuer: string;
        readonly audience: string;
      }
    | {
        readonly kind: 'jwks';
        readonly jwksUrl: string;
        readonly issuer: string;
        readonly audience: string;
        readonly endpoint: Endpoint;
      };
  readonly policyMode: PolicyMode;
  /** Unset: embedded defaults (SQLite under the data dir). */
  readonly postgres?: Endpoint;
  /** Unset: events stay in each pod's outbox. */
  readonly kafka?: Endpoint & { readonly brokers: readonly string[] };
  /** Unset: rate-limit counters are per replica. */
  readonly redis?: Endpoint;
  /** Unset: the retrieval service's embedded vector index. */
  readonly qdrant?: Endpoint & { readonly url: string };
  readonly model: ModelParams;
  /** Unset: no trace export. */
  readonly otelCollector?: Endpoint & { readonly url: string };
  readonly services: Readonly<Record<ServiceName, ServiceParams>>;
}

/**
 * Keys the environment's Secret must hold (created out of band, e.g. by
 * External Secrets or `kubectl create secret`): the manifests only refer to
 * them, so no key ever lands in the repository.
 */
export const SECRET_KEYS = {
  principalKey: 'principal-key',
  jwtSecret: 'jwt-secret',
  openaiApiKey: 'openai-api-key',
  qdrantApiKey: 'qdrant-api-key',
  redisUrl: 'redis-url',
  agentDatabaseUrl: 'agent-database-url',
  crmDatabaseUrl: 'crm-database-url',
  evalDatabaseUrl: 'eval-database-url',
} as const;
