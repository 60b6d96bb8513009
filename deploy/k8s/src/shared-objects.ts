import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { COMMON_LABELS, serviceLabels } from './labels.js';
import type { DeployParams } from './params.js';
import { serviceSpec } from './services.js';
import { CONFIG_MAPS, type ConfigFiles } from './workloads.js';

/** The namespace, with the `restricted` Pod Security Standard enforced. */
export function namespaceOf(params: DeployParams): Namespace {
  return new Namespace({
    metadata: {
      name: params.namespace,
      labels: {
        ...COMMON_LABELS,
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  });
}

/** The authorization policy and the guardrail configuration the gateway mounts. */
export function configMapsOf(
  params: DeployParams,
  files: ConfigFiles,
): ConfigMap[] {
  const labels = serviceLabels('gateway', params.imageTag);
  return [
    new ConfigMap({
      metadata: {
        name: CONFIG_MAPS.policy,
        namespace: params.namespace,
        labels,
      },
      data: { 'policy.csv': files.policyCsv },
    }),
    new ConfigMap({
      metadata: {
        name: CONFIG_MAPS.guardrails,
        namespace: params.namespace,
        labels,
      },
      data: { 'guardrails.json': files.guardrailsJson },
    }),
  ];
}

/**
 * The only way in: the public API and its documentation. Health, readiness
 * and metrics stay inside the cluster.
 */
export function ingressOf(params: DeployParams): Ingress {
  const gateway = serviceSpec('gateway');
  const backend = {
    service: { name: gateway.name, port: { number: gateway.port } },
  };
  return new Ingress({
    metadata: {
      name: gateway.name,
      namespace: params.namespace,
      labels: serviceLabels('gateway', params.imageTag),
      ...(params.ingress.annotations
        ? { annotations: { ...params.ingress.annotations } }
        : {}),
    },
    spec: {
      ingressClassName: params.ingress.className,
      ...(params.ingress.tlsSecretName
        ? {
            tls: [
              {
                hosts: [params.ingress.host],
                secretName: params.ingress.tlsSecretName,
              },
            ],
          }
        : {}),
      rules: [
        {
          host: params.ingress.host,
          http: {
            paths: ['/v1', '/docs'].map((path) => ({
              path,
              pathType: 'Prefix',
              backend,
            })),
          },
        },
      ],
    },
  });
}
