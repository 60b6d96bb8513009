import { createHash } from 'node:crypto';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { PATHS, serviceEnv, shutdownGraceSeconds } from './env.js';
import { selectorLabels, serviceLabels } from './labels.js';
import type { DeployParams } from './params.js';
import { METRICS_PORT, type ServiceSpec } from './services.js';

/** Names of the ConfigMaps the gateway mounts. */
export const CONFIG_MAPS = {
  policy: 'fieldwise-policy',
  guardrails: 'fieldwise-guardrails',
} as const;

/** The configuration files the ConfigMaps carry (read from the repository). */
export interface ConfigFiles {
  readonly policyCsv: string;
  readonly guardrailsJson: string;
}

/** The uid and gid the images run as (USER in the apps' Dockerfiles). */
export const RUN_AS = 10001;

/** Seconds the endpoints controller gets to take a pod out of rotation before SIGTERM. */
const PRE_STOP_SECONDS = 5;

/** The image of one service. */
export function imageOf(spec: ServiceSpec, params: DeployParams): string {
  return `${params.imageRegistry}/${spec.name}:${params.imageTag}`;
}

function probes(
  spec: ServiceSpec,
): Pick<IContainer, 'startupProbe' | 'livenessProbe' | 'readinessProbe'> {
  const startupPeriod = 5;
  const startup = {
    periodSeconds: startupPeriod,
    failureThreshold: Math.ceil(spec.startupSeconds / startupPeriod),
    timeoutSeconds: 2,
  };
  const liveness = {
    periodSeconds: 10,
    failureThreshold: 3,
    timeoutSeconds: 2,
  };
  const readiness = {
    periodSeconds: 5,
    failureThreshold: 2,
    timeoutSeconds: 2,
  };
  if (spec.protocol === 'http') {
    const get = (path: string): IProbe['httpGet'] => ({ path, port: 'http' });
    return {
      startupProbe: { httpGet: get('/healthz'), ...startup },
      livenessProbe: { httpGet: get('/healthz'), ...liveness },
      readinessProbe: { httpGet: get('/readyz'), ...readiness },
    };
  }
  // grpc.health.v1 turns NOT_SERVING while draining or when a hard
  // dependency is down: right for readiness, wrong for liveness (a database
  // outage would restart every pod), so liveness only asks that the
  // process still accepts connections.
  return {
    startupProbe: { grpc: { port: spec.port }, ...startup },
    livenessProbe: { tcpSocket: { port: 'grpc' }, ...liveness },
    readinessProbe: { grpc: { port: spec.port }, ...readiness },
  };
}

function volumes(
  spec: ServiceSpec,
  params: DeployParams,
): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  const own = params.services[spec.name];
  const result = {
    volumes: [
      { name: 'data', emptyDir: { sizeLimit: own.dataSizeLimit } },
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ] as IVolume[],
    mounts: [
      { name: 'data', mountPath: PATHS.data },
      { name: 'tmp', mountPath: PATHS.tmp },
    ] as IVolumeMount[],
  };
  if (spec.name === 'gateway') {
    result.volumes.push(
      { name: 'policy', configMap: { name: CONFIG_MAPS.policy } },
      { name: 'guardrails', configMap: { name: CONFIG_MAPS.guardrails } },
    );
    // Mounted as a directory, never with subPath: the kubelet then swaps
    // the file atomically on a ConfigMap change and the policy watcher
    // reloads it.
    result.mounts.push(
      { name: 'policy', mountPath: PATHS.policyDir, readOnly: true },
      { name: 'guardrails', mountPath: PATHS.guardrailsDir, readOnly: true },
    );
  }
  return result;
}

const containerSecurity: IContainer['securityContext'] = {
  runAsNonRoot: true,
  runAsUser: RUN_AS,
  runAsGroup: RUN_AS,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The gateway's init container that seeds the editable policy copy once. */
function policySeeder(spec: ServiceSpec, params: DeployParams): IContainer {
  return {
    name: 'seed-policy',
    image: imageOf(spec, params),
    imagePullPolicy: params.imagePullPolicy,
    command: [
      'sh',
      '-c',
      `mkdir -p ${PATHS.data}/gateway && cp -n ${PATHS.policyDir}/policy.csv ${PATHS.data}/gateway/policy.csv`,
    ],
    resources: {
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '100m', memory: '64Mi' },
    },
    securityContext: containerSecurity,
    volumeMounts: [
      { name: 'data', mountPath: PATHS.data },
      { name: 'policy', mountPath: PATHS.policyDir, readOnly: true },
    ],
  };
}

function podAnnotations(
  spec: ServiceSpec,
  files: ConfigFiles,
): Record<string, string> {
  const metricsPort = spec.protocol === 'http' ? spec.port : METRICS_PORT;
  const annotations: Record<string, string> = {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(metricsPort),
    'prometheus.io/path': '/metrics',
  };
  if (spec.name === 'gateway') {
    // The guardrail file is read at start: a change rolls the pods.
    annotations['checksum/guardrails'] = createHash('sha256')
      .update(files.guardrailsJson)
      .digest('hex');
  }
  return annotations;
}

/** The Deployment of one service. */
export function deploymentOf(
  spec: ServiceSpec,
  params: DeployParams,
  files: ConfigFiles,
): Deployment {
  const own = params.services[spec.name];
  const labels = serviceLabels(spec.name, params.imageTag);
  const { volumes: podVolumes, mounts } = volumes(spec, params);
  const ports: IContainer['ports'] =
    spec.protocol === 'http'
      ? [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }]
      : [
          { name: 'grpc', containerPort: spec.port, protocol: 'TCP' },
          { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
        ];
  return new Deployment({
    metadata: { name: spec.name, namespace: params.namespace, labels },
    spec: {
      // The HPA owns the count; this is only the first rollout's size.
      replicas: own.scaling.minReplicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { ...selectorLabels(spec.name) } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
      },
      template: {
        metadata: { labels, annotations: podAnnotations(spec, files) },
        spec: {
          serviceAccountName: spec.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds:
            PRE_STOP_SECONDS + shutdownGraceSeconds(spec) + 10,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS,
            runAsGroup: RUN_AS,
            fsGroup: RUN_AS,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...selectorLabels(spec.name) } },
            },
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...selectorLabels(spec.name) } },
            },
          ],
          ...(spec.name === 'gateway' && params.policyMode === 'editable'
            ? { initContainers: [policySeeder(spec, params)] }
            : {}),
          containers: [
            {
              name: spec.name,
              image: imageOf(spec, params),
              imagePullPolicy: params.imagePullPolicy,
              ports,
              env: serviceEnv(spec, params),
              resources: {
                requests: { ...own.resources.requests },
                limits: { ...own.resources.limits },
              },
              ...probes(spec),
              // Endpoints drop the pod before the drain starts, so no new
              // request reaches a process that has stopped accepting.
              lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
              securityContext: containerSecurity,
              volumeMounts: mounts,
            },
          ],
          volumes: podVolumes,
        },
      },
    },
  });
}

/** The ClusterIP Service of one service. */
export function serviceOf(spec: ServiceSpec, params: DeployParams): Service {
  const portName = spec.protocol === 'http' ? 'http' : 'grpc';
  return new Service({
    metadata: {
      name: spec.name,
      namespace: params.namespace,
      labels: serviceLabels(spec.name, params.imageTag),
    },
    spec: {
      type: 'ClusterIP',
      selector: { ...selectorLabels(spec.name) },
      ports: [
        {
          name: portName,
          port: spec.port,
          targetPort: portName,
          protocol: 'TCP',
          ...(spec.protocol === 'grpc' ? { appProtocol: 'grpc' } : {}),
        },
      ],
    },
  });
}

/** The ServiceAccount of one service (no API token: the apps never call Kubernetes). */
export function serviceAccountOf(
  spec: ServiceSpec,
  params: DeployParams,
): ServiceAccount {
  return new ServiceAccount({
    metadata: {
      name: spec.name,
      namespace: params.namespace,
      labels: serviceLabels(spec.name, params.imageTag),
    },
    automountServiceAccountToken: false,
  });
}

/** At most one pod of a service down at a time during voluntary disruptions. */
export function disruptionBudgetOf(
  spec: ServiceSpec,
  params: DeployParams,
): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: {
      name: spec.name,
      namespace: params.namespace,
      labels: serviceLabels(spec.name, params.imageTag),
    },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { ...selectorLabels(spec.name) } },
    },
  });
}

/** CPU-based autoscaling of one service, slow to scale down. */
export function autoscalerOf(
  spec: ServiceSpec,
  params: DeployParams,
): HorizontalPodAutoscaler {
  const scaling = params.services[spec.name].scaling;
  return new HorizontalPodAutoscaler({
    metadata: {
      name: spec.name,
      namespace: params.namespace,
      labels: serviceLabels(spec.name, params.imageTag),
    },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: spec.name,
      },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: scaling.targetCpuPercent,
            },
          },
        },
      ],
      behavior: {
        // Chat streams last tens of seconds: shrink slowly.
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
        },
      },
    },
  });
}
