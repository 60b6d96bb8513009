import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import { COMMON_LABELS, selectorLabels } from './labels.js';
import type { DeployParams, Endpoint, Peer } from './params.js';
import {
  METRICS_PORT,
  SERVICES,
  serviceSpec,
  type Dependency,
  type ServiceSpec,
} from './services.js';

/** The label Kubernetes puts on every namespace, naming it. */
const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

function namespacePeer(namespace: string): INetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: namespace } },
  };
}

function peerOf(peer: Peer): INetworkPolicyPeer {
  if (peer.kind === 'cidr') {
    return {
      ipBlock: {
        cidr: peer.cidr,
        ...(peer.except ? { except: [...peer.except] } : {}),
      },
    };
  }
  return {
    ...namespacePeer(peer.namespace),
    podSelector: { matchLabels: { ...peer.podLabels } },
  };
}

/** The endpoint of a dependency in this environment; undefined when not configured. */
function endpointOf(
  dependency: Dependency,
  params: DeployParams,
): Endpoint | undefined {
  switch (dependency) {
    case 'postgres':
      return params.postgres;
    case 'kafka':
      return params.kafka;
    case 'redis':
      return params.redis;
    case 'qdrant':
      return params.qdrant;
    case 'otel':
      return params.otelCollector;
    case 'model':
      return params.model.kind === 'openai' ? params.model.endpoint : undefined;
    case 'oidc':
      return params.auth.kind === 'jwks' ? params.auth.endpoint : undefined;
  }
}

function ingressRules(
  spec: ServiceSpec,
  params: DeployParams,
): INetworkPolicyIngressRule[] {
  const servicePort = [{ protocol: 'TCP' as const, port: spec.port }];
  const callers = SERVICES.filter((caller) => caller.calls.includes(spec.name));
  const rules: INetworkPolicyIngressRule[] = [];
  if (spec.name === 'gateway') {
    rules.push({
      from: [namespacePeer(params.ingress.controllerNamespace)],
      ports: servicePort,
    });
  }
  if (callers.length > 0) {
    rules.push({
      from: callers.map((caller) => ({
        podSelector: { matchLabels: { ...selectorLabels(caller.name) } },
      })),
      ports: servicePort,
    });
  }
  rules.push({
    from: [namespacePeer(params.monitoringNamespace)],
    ports: [
      {
        protocol: 'TCP',
        port: spec.protocol === 'http' ? spec.port : METRICS_PORT,
      },
    ],
  });
  return rules;
}

function egressRules(
  spec: ServiceSpec,
  params: DeployParams,
): INetworkPolicyEgressRule[] {
  const rules: INetworkPolicyEgressRule[] = spec.calls.map((callee) => ({
    to: [{ podSelector: { matchLabels: { ...selectorLabels(callee) } } }],
    ports: [{ protocol: 'TCP', port: serviceSpec(callee).port }],
  }));
  for (const dependency of spec.uses) {
    const endpoint = endpointOf(dependency, params);
    if (!endpoint) continue;
    rules.push({
      to: [peerOf(endpoint.peer)],
      ports: [{ protocol: 'TCP', port: endpoint.port }],
    });
  }
  return rules;
}

function policy(
  name: string,
  params: DeployParams,
  spec: NetworkPolicy['spec'],
): NetworkPolicy {
  return new NetworkPolicy({
    metadata: {
      name,
      namespace: params.namespace,
      labels: { ...COMMON_LABELS },
    },
    spec,
  });
}

/**
 * Default deny in both directions for every pod of the namespace, DNS for
 * all, then one policy per service: ingress from its callers only (the
 * gateway: from the ingress controller), scraping from the monitoring
 * namespace on the metrics port, egress to its callees and to the
 * dependencies it uses that this environment configures.
 */
export function networkPoliciesOf(params: DeployParams): NetworkPolicy[] {
  return [
    policy('default-deny-all', params, {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    }),
    policy('allow-dns', params, {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ...namespacePeer('kube-system'),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    ...SERVICES.map((spec) =>
      policy(spec.name, params, {
        podSelector: { matchLabels: { ...selectorLabels(spec.name) } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: ingressRules(spec, params),
        egress: egressRules(spec, params),
      }),
    ),
  ];
}
