import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';

/** A label selector as NetworkPolicies carry it. */
type LabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];

/** A pod as NetworkPolicies see it: its namespace (with labels) and its labels. */
export interface PodEndpoint {
  readonly kind: 'pod';
  readonly namespace: string;
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Its IP, for ipBlock peers (pods are rarely addressed that way). */
  readonly ip?: string;
}

/** An address outside the cluster's pods (the internet, a managed database). */
export interface ExternalEndpoint {
  readonly kind: 'external';
  readonly ip: string;
}

export type NetworkEndpoint = PodEndpoint | ExternalEndpoint;

/** A connection attempt. */
export interface Connection {
  readonly from: NetworkEndpoint;
  readonly to: NetworkEndpoint;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  // An absent or empty selector selects everything.
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        throw new Error(`unknown selector operator ${expression.operator}`);
    }
  }
  return true;
}

function ipToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (
    parts.length !== 4 ||
    parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)
  ) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((sum, part) => sum * 256 + part, 0);
}

/** Whether an IPv4 address lies in a CIDR block. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = Number(bits);
  if (base === undefined || !Number.isInteger(size) || size < 0 || size > 32) {
    throw new Error(`not an IPv4 CIDR: ${cidr}`);
  }
  const block = 2 ** (32 - size);
  return (
    Math.floor(ipToNumber(ip) / block) === Math.floor(ipToNumber(base) / block)
  );
}

function namespaceLabelsOf(pod: PodEndpoint): Record<string, string> {
  return {
    'kubernetes.io/metadata.name': pod.namespace,
    ...pod.namespaceLabels,
  };
}

/** Whether `peer` of a policy in `policyNamespace` matches `endpoint`. */
function peerMatches(
  peer: INetworkPolicyPeer,
  policyNamespace: string,
  endpoint: NetworkEndpoint,
): boolean {
  if (peer.ipBlock) {
    const ip = endpoint.ip;
    if (ip === undefined) return false;
    return (
      inCidr(ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr) => inCidr(ip, cidr))
    );
  }
  if (endpoint.kind !== 'pod') return false;
  const namespaceOk = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, namespaceLabelsOf(endpoint))
    : endpoint.namespace === policyNamespace;
  return namespaceOk && matchesSelector(peer.podSelector, endpoint.labels);
}

function portMatches(
  ports: readonly INetworkPolicyPort[] | undefined,
  port: number,
  protocol: string,
): boolean {
  // No ports: every port.
  if (!ports || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'string') {
      throw new Error('named ports are not evaluated; use numbers');
    }
    const end = rule.endPort ?? rule.port;
    return port >= rule.port && port <= end;
  });
}

function selects(policy: INetworkPolicy, pod: PodEndpoint): boolean {
  return (
    policy.metadata?.namespace === pod.namespace &&
    matchesSelector(policy.spec?.podSelector, pod.labels)
  );
}

function hasType(policy: INetworkPolicy, type: 'Ingress' | 'Egress'): boolean {
  const types = policy.spec?.policyTypes;
  // Kubernetes' default: Ingress always, Egress when egress rules exist.
  if (!types) return type === 'Ingress' || policy.spec?.egress !== undefined;
  return types.includes(type);
}

/**
 * Whether the policies let `connection` through, with Kubernetes'
 * semantics: a pod selected by no policy of a direction is open in that
 * direction; a selected pod accepts only what some selecting policy's rule
 * allows (rules add up); a connection needs the source's egress and the
 * destination's ingress. Endpoints outside the cluster have no policies.
 */
export function isAllowed(
  policies: readonly INetworkPolicy[],
  connection: Connection,
): boolean {
  const protocol = connection.protocol ?? 'TCP';
  const { from, to, port } = connection;
  if (from.kind === 'pod') {
    const egress = policies.filter(
      (policy) => hasType(policy, 'Egress') && selects(policy, from),
    );
    const allowed =
      egress.length === 0 ||
      egress.some((policy) =>
        (policy.spec?.egress ?? []).some(
          (rule) =>
            portMatches(rule.ports, port, protocol) &&
            (!rule.to ||
              rule.to.length === 0 ||
              rule.to.some((peer) => peerMatches(peer, from.namespace, to))),
        ),
      );
    if (!allowed) return false;
  }
  if (to.kind === 'pod') {
    const ingress = policies.filter(
      (policy) => hasType(policy, 'Ingress') && selects(policy, to),
    );
    return (
      ingress.length === 0 ||
      ingress.some((policy) =>
        (policy.spec?.ingress ?? []).some(
          (rule) =>
            portMatches(rule.ports, port, protocol) &&
            (!rule.from ||
              rule.from.length === 0 ||
              rule.from.some((peer) => peerMatches(peer, to.namespace, from))),
        ),
      )
    );
  }
  return true;
}
