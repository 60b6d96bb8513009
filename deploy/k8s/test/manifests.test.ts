import { describe, expect, it } from 'vitest';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  ENVIRONMENTS,
  PATHS,
  RUN_AS,
  SERVICES,
  buildEnvironment,
  readConfigFiles,
  serviceSpec,
  validateObjects,
  type DeployParams,
  type KubeObject,
} from '../src/index.js';

const files = readConfigFiles();

interface Rendered {
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string };
  readonly spec?: Record<string, unknown>;
}

function objectsOf(params: DeployParams): Rendered[] {
  return buildEnvironment(params, files).flatMap((file) =>
    file.objects.map((object) => object.toJSON() as Rendered),
  );
}

function find(objects: Rendered[], kind: string, name: string): Rendered {
  const found = objects.find(
    (object) => object.kind === kind && object.metadata.name === name,
  );
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
}

function deploymentsOf(params: DeployParams): IDeployment[] {
  return objectsOf(params)
    .filter((object) => object.kind === 'Deployment')
    .map((object) => object as unknown as IDeployment);
}

function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(
    ([key, value]) => labels?.[key] === value,
  );
}

describe.each(ENVIRONMENTS.map((params) => [params.environment, params]))(
  '%s manifests',
  (_name, params) => {
    const objects = objectsOf(params);
    const deployments = deploymentsOf(params);

    it('every object passes the Kubernetes schema and lives in the namespace', () => {
      const all = buildEnvironment(params, files).flatMap(
        (file) => file.objects,
      );
      expect(() => validateObjects(all)).not.toThrow();
      for (const object of objects) {
        if (object.kind === 'Namespace') continue;
        expect(object.metadata.namespace, object.metadata.name).toBe(
          params.namespace,
        );
      }
    });

    it('has a Deployment, Service, ServiceAccount, PDB and HPA per service', () => {
      for (const spec of SERVICES) {
        for (const kind of [
          'Deployment',
          'Service',
          'ServiceAccount',
          'PodDisruptionBudget',
          'HorizontalPodAutoscaler',
        ]) {
          expect(() => find(objects, kind, spec.name)).not.toThrow();
        }
      }
      expect(deployments).toHaveLength(SERVICES.length);
    });

    it.each(SERVICES.map((spec) => spec.name))(
      '%s: startup, liveness and readiness probes on the right protocol',
      (name) => {
        const spec = serviceSpec(name);
        const container = containerOf(deployments, name);
        const { startupProbe, livenessProbe, readinessProbe } = container;
        expect(startupProbe).toBeDefined();
        expect(livenessProbe).toBeDefined();
        expect(readinessProbe).toBeDefined();
        if (spec.protocol === 'grpc') {
          expect(startupProbe?.grpc?.port).toBe(spec.port);
          expect(readinessProbe?.grpc?.port).toBe(spec.port);
          expect(livenessProbe?.tcpSocket?.port).toBe('grpc');
        } else {
          expect(startupProbe?.httpGet?.path).toBe('/healthz');
          expect(livenessProbe?.httpGet?.path).toBe('/healthz');
          expect(readinessProbe?.httpGet?.path).toBe('/readyz');
        }
        const ports = (container.ports ?? []).map((port) => port.containerPort);
        expect(ports).toContain(spec.port);
        // A first start (seeding, ingestion) gets the startup budget.
        const startupBudget =
          (startupProbe?.periodSeconds ?? 10) *
          (startupProbe?.failureThreshold ?? 3);
        expect(startupBudget).toBeGreaterThanOrEqual(spec.startupSeconds);
      },
    );

    it('every container has requests and limits, limits at least the requests', () => {
      for (const deployment of deployments) {
        const pod = deployment.spec?.template.spec;
        for (const container of [
          ...(pod?.initContainers ?? []),
          ...(pod?.containers ?? []),
        ]) {
          const { requests, limits } = container.resources ?? {};
          for (const resource of ['cpu', 'memory']) {
            expect(requests?.[resource], container.name).toBeDefined();
            expect(limits?.[resource], container.name).toBeDefined();
          }
          expect(quantity(limits?.['cpu'])).toBeGreaterThanOrEqual(
            quantity(requests?.['cpu']),
          );
          expect(quantity(limits?.['memory'])).toBeGreaterThanOrEqual(
            quantity(requests?.['memory']),
          );
        }
      }
    });

    it('pods run non-root on a read-only root filesystem with no privileges', () => {
      for (const deployment of deployments) {
        const pod = deployment.spec?.template.spec;
        expect(pod?.securityContext?.runAsNonRoot).toBe(true);
        expect(pod?.securityContext?.runAsUser).toBe(RUN_AS);
        expect(pod?.securityContext?.seccompProfile?.type).toBe(
          'RuntimeDefault',
        );
        expect(pod?.automountServiceAccountToken).toBe(false);
        expect(pod?.hostNetwork ?? false).toBe(false);
        for (const container of [
          ...(pod?.initContainers ?? []),
          ...(pod?.containers ?? []),
        ]) {
          const context = container.securityContext;
          expect(context?.runAsNonRoot, container.name).toBe(true);
          expect(context?.allowPrivilegeEscalation, container.name).toBe(false);
          expect(context?.readOnlyRootFilesystem, container.name).toBe(true);
          expect(context?.privileged ?? false).toBe(false);
          expect(context?.capabilities?.drop).toEqual(['ALL']);
          expect(context?.capabilities?.add ?? []).toEqual([]);
          expect(context?.seccompProfile?.type).toBe('RuntimeDefault');
        }
      }
    });

    it('the writable paths are volumes, and every mount names a volume', () => {
      for (const deployment of deployments) {
        const pod = deployment.spec?.template.spec;
        const volumes = new Map(
          (pod?.volumes ?? []).map((volume) => [volume.name, volume]),
        );
        for (const container of [
          ...(pod?.initContainers ?? []),
          ...(pod?.containers ?? []),
        ]) {
          for (const mount of container.volumeMounts ?? []) {
            expect(volumes.has(mount.name), mount.name).toBe(true);
          }
        }
        const main = pod?.containers[0];
        const writable = (main?.volumeMounts ?? [])
          .filter((mount) => !mount.readOnly)
          .map((mount) => mount.mountPath);
        expect(writable.sort()).toEqual([PATHS.data, PATHS.tmp].sort());
        expect(volumes.get('data')?.emptyDir?.sizeLimit).toBeDefined();
      }
    });

    it('each Deployment is covered by exactly one PodDisruptionBudget and one HPA', () => {
      const budgets = objects.filter(
        (object) => object.kind === 'PodDisruptionBudget',
      );
      const autoscalers = objects.filter(
        (object) => object.kind === 'HorizontalPodAutoscaler',
      );
      for (const deployment of deployments) {
        const labels = deployment.spec?.template.metadata?.labels;
        const covering = budgets.filter((budget) =>
          matches(
            (
              budget.spec?.['selector'] as {
                matchLabels?: Record<string, string>;
              }
            )?.matchLabels,
            labels,
          ),
        );
        expect(covering, deployment.metadata?.name).toHaveLength(1);
        const scaling = autoscalers.filter(
          (hpa) =>
            (hpa.spec?.['scaleTargetRef'] as { name: string }).name ===
            deployment.metadata?.name,
        );
        expect(scaling).toHaveLength(1);
        const hpa = scaling[0]?.spec as {
          minReplicas: number;
          maxReplicas: number;
        };
        expect(hpa.minReplicas).toBeGreaterThanOrEqual(1);
        expect(hpa.maxReplicas).toBeGreaterThanOrEqual(hpa.minReplicas);
        // The selector must pick the Deployment's own pods.
        expect(matches(deployment.spec?.selector.matchLabels, labels)).toBe(
          true,
        );
      }
    });

    it('each Service selects its Deployment and targets a named container port', () => {
      for (const spec of SERVICES) {
        const service = find(objects, 'Service', spec.name);
        const deployment = deployments.find(
          (candidate) => candidate.metadata?.name === spec.name,
        );
        const selector = service.spec?.['selector'] as Record<string, string>;
        expect(
          matches(selector, deployment?.spec?.template.metadata?.labels),
        ).toBe(true);
        const portNames = (containerOf(deployments, spec.name).ports ?? []).map(
          (port) => port.name,
        );
        for (const port of service.spec?.['ports'] as {
          port: number;
          targetPort: string;
        }[]) {
          expect(port.port).toBe(spec.port);
          expect(portNames).toContain(port.targetPort);
        }
        expect(deployment?.spec?.template.spec?.serviceAccountName).toBe(
          spec.name,
        );
      }
    });

    it('the drain fits in the termination grace period', () => {
      for (const deployment of deployments) {
        const pod = deployment.spec?.template.spec;
        const container = pod?.containers[0];
        const grace = container?.env?.find(
          (env) => env.name === 'SHUTDOWN_GRACE',
        );
        const graceSeconds = Number(/^(\d+)s$/.exec(grace?.value ?? '')?.[1]);
        const preStop = container?.lifecycle?.preStop?.sleep?.seconds ?? 0;
        expect(graceSeconds).toBeGreaterThan(0);
        expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan(
          graceSeconds + preStop,
        );
      }
    });

    it('secrets are only referenced, from the environment Secret', () => {
      const kinds = objects.map((object) => object.kind);
      expect(kinds).not.toContain('Secret');
      for (const deployment of deployments) {
        for (const container of deployment.spec?.template.spec?.containers ??
          []) {
          for (const env of container.env ?? []) {
            if (/KEY|SECRET|DATABASE_URL|REDIS_URL/.test(env.name)) {
              expect(env.value, env.name).toBeUndefined();
              expect(env.valueFrom?.secretKeyRef?.name).toBe(params.secretName);
            }
          }
        }
      }
    });

    it('the ConfigMaps carry the repository policy and guardrail files', () => {
      const policy = find(objects, 'ConfigMap', 'fieldwise-policy');
      const guardrails = find(objects, 'ConfigMap', 'fieldwise-guardrails');
      expect(
        (policy as unknown as { data: Record<string, string> }).data[
          'policy.csv'
        ],
      ).toBe(files.policyCsv);
      expect(
        (guardrails as unknown as { data: Record<string, string> }).data[
          'guardrails.json'
        ],
      ).toBe(files.guardrailsJson);
    });

    it('an editable policy is only used with a single gateway replica', () => {
      if (params.policyMode === 'editable') {
        expect(params.services.gateway.scaling.maxReplicas).toBe(1);
      }
    });

    it('the Ingress sends only the public API to the gateway', () => {
      const ingress = find(objects, 'Ingress', 'gateway') as unknown as {
        spec: {
          rules: {
            host: string;
            http: {
              paths: {
                path: string;
                backend: {
                  service: { name: string; port: { number: number } };
                };
              }[];
            };
          }[];
        };
      };
      const paths = ingress.spec.rules.flatMap((rule) => rule.http.paths);
      expect(paths.map((path) => path.path).sort()).toEqual(['/docs', '/v1']);
      for (const path of paths) {
        expect(path.backend.service).toEqual({
          name: 'gateway',
          port: { number: serviceSpec('gateway').port },
        });
      }
    });
  },
);

describe('schema validation', () => {
  it('rejects an invalid object and names it', () => {
    const broken = new Deployment({
      metadata: { name: 'broken' },
      spec: {
        selector: { matchLabels: { app: 'broken' } },
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                image: 'x',
                ports: [{ containerPort: 'http' as unknown as number }],
              },
            ],
          },
        },
      },
    });
    expect(() => validateObjects([broken as KubeObject])).toThrow(
      /Deployment\/broken: .*containerPort/,
    );
  });
});

function containerOf(deployments: IDeployment[], name: string): IContainer {
  const container = deployments.find(
    (deployment) => deployment.metadata?.name === name,
  )?.spec?.template.spec?.containers[0];
  if (!container) throw new Error(`no container for ${name}`);
  return container;
}

/** A CPU or memory quantity as a number (cores or bytes). */
function quantity(value: string | number | undefined): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(value ?? '');
  if (!match) throw new Error(`unsupported quantity ${String(value)}`);
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit === 'm') return amount / 1000;
  if (unit === 'Ki') return amount * 1024;
  if (unit === 'Mi') return amount * 1024 ** 2;
  if (unit === 'Gi') return amount * 1024 ** 3;
  return amount;
}
