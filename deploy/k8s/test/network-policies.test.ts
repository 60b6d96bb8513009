import { describe, expect, it } from 'vitest';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import {
  ENVIRONMENTS,
  METRICS_PORT,
  SERVICES,
  devParams,
  inCidr,
  isAllowed,
  networkPoliciesOf,
  productionParams,
  type DeployParams,
  type NetworkEndpoint,
  type PodEndpoint,
  type ServiceName,
} from '../src/index.js';

/** Who calls whom, as issue #8 and the apps' config.ts describe it. */
const EXPECTED_CALLS: readonly (readonly [ServiceName, ServiceName])[] = [
  ['gateway', 'agent-service'],
  ['gateway', 'crm-service'],
  ['gateway', 'retrieval-service'],
  ['gateway', 'eval-service'],
  ['agent-service', 'crm-service'],
  ['agent-service', 'retrieval-service'],
  ['eval-service', 'agent-service'],
  // The eval service resolves a case user's territories and fetches cited chunks.
  ['eval-service', 'crm-service'],
  ['eval-service', 'retrieval-service'],
];

function policiesOf(params: DeployParams): INetworkPolicy[] {
  return networkPoliciesOf(params).map(
    (policy) => policy.toJSON() as INetworkPolicy,
  );
}

function podOf(params: DeployParams, name: ServiceName): PodEndpoint {
  return {
    kind: 'pod',
    namespace: params.namespace,
    labels: {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/part-of': 'fieldwise',
    },
  };
}

/** Every port some pod of the deployment listens on. */
function portsOf(name: ServiceName): number[] {
  const spec = SERVICES.find((service) => service.name === name);
  if (!spec) throw new Error(name);
  return spec.protocol === 'grpc' ? [spec.port, METRICS_PORT] : [spec.port];
}

/** Sources outside the namespace, each with the ports it may reach, per destination. */
function outsiders(params: DeployParams): {
  name: string;
  from: NetworkEndpoint;
}[] {
  return [
    {
      name: 'ingress controller',
      from: {
        kind: 'pod',
        namespace: params.ingress.controllerNamespace,
        labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
      },
    },
    {
      name: 'prometheus',
      from: {
        kind: 'pod',
        namespace: params.monitoringNamespace,
        labels: { 'app.kubernetes.io/name': 'prometheus' },
      },
    },
    {
      name: 'a pod of another team',
      from: {
        kind: 'pod',
        namespace: 'other-team',
        labels: { 'app.kubernetes.io/name': 'gateway' },
      },
    },
    { name: 'the internet', from: { kind: 'external', ip: '203.0.113.9' } },
    { name: 'a node', from: { kind: 'external', ip: '10.0.0.5' } },
  ];
}

describe.each(ENVIRONMENTS.map((params) => [params.environment, params]))(
  '%s network policies',
  (_name, params) => {
    const policies = policiesOf(params);

    it('leave only the gateway reachable from outside, through the ingress controller', () => {
      const open: string[] = [];
      for (const outsider of outsiders(params)) {
        for (const spec of SERVICES) {
          for (const port of portsOf(spec.name)) {
            const allowed = isAllowed(policies, {
              from: outsider.from,
              to: podOf(params, spec.name),
              port,
            });
            if (allowed) open.push(`${outsider.name} -> ${spec.name}:${port}`);
          }
        }
      }
      // Prometheus scrapes each metrics port; nothing else comes in.
      const scrapes = SERVICES.map(
        (spec) =>
          `prometheus -> ${spec.name}:${spec.protocol === 'grpc' ? METRICS_PORT : spec.port}`,
      );
      expect(open.sort()).toEqual(
        ['ingress controller -> gateway:8080', ...scrapes].sort(),
      );
    });

    it('let each service be called by its callers only', () => {
      const reachable: string[] = [];
      for (const caller of SERVICES) {
        for (const callee of SERVICES) {
          if (caller === callee) continue;
          const allowed = isAllowed(policies, {
            from: podOf(params, caller.name),
            to: podOf(params, callee.name),
            port: callee.port,
          });
          if (allowed) reachable.push(`${caller.name} -> ${callee.name}`);
        }
      }
      expect(reachable.sort()).toEqual(
        EXPECTED_CALLS.map(([from, to]) => `${from} -> ${to}`).sort(),
      );
    });

    it('deny everything to and from a pod no policy names', () => {
      const stray: PodEndpoint = {
        kind: 'pod',
        namespace: params.namespace,
        labels: { app: 'debug' },
      };
      for (const spec of SERVICES) {
        expect(
          isAllowed(policies, {
            from: stray,
            to: podOf(params, spec.name),
            port: spec.port,
          }),
        ).toBe(false);
        expect(
          isAllowed(policies, {
            from: podOf(params, spec.name),
            to: stray,
            port: 8080,
          }),
        ).toBe(false);
      }
      expect(
        isAllowed(policies, {
          from: stray,
          to: { kind: 'external', ip: '203.0.113.9' },
          port: 443,
        }),
      ).toBe(false);
    });

    it('let every pod resolve names through cluster DNS', () => {
      const dns: PodEndpoint = {
        kind: 'pod',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns' },
      };
      for (const spec of SERVICES) {
        for (const protocol of ['UDP', 'TCP'] as const) {
          expect(
            isAllowed(policies, {
              from: podOf(params, spec.name),
              to: dns,
              port: 53,
              protocol,
            }),
          ).toBe(true);
        }
      }
    });
  },
);

describe('production egress', () => {
  const params = productionParams;
  const policies = policiesOf(params);
  const kafka: PodEndpoint = {
    kind: 'pod',
    namespace: 'kafka',
    labels: { 'app.kubernetes.io/name': 'kafka' },
  };
  const qdrant: PodEndpoint = {
    kind: 'pod',
    namespace: 'qdrant',
    labels: { 'app.kubernetes.io/name': 'qdrant' },
  };
  const collector: PodEndpoint = {
    kind: 'pod',
    namespace: 'observability',
    labels: { 'app.kubernetes.io/name': 'opentelemetry-collector' },
  };
  const postgres = { kind: 'external', ip: '10.20.0.10' } as const;
  const redis = { kind: 'external', ip: '10.20.1.10' } as const;
  const openai = { kind: 'external', ip: '162.159.140.245' } as const;
  const targets: Record<string, { to: NetworkEndpoint; port: number }> = {
    postgres: { to: postgres, port: 5432 },
    redis: { to: redis, port: 6379 },
    kafka: { to: kafka, port: 9092 },
    qdrant: { to: qdrant, port: 6333 },
    otel: { to: collector, port: 4318 },
    'internet https': { to: openai, port: 443 },
  };
  // The model and the OIDC issuer are both HTTPS on the internet.
  const expected: Record<ServiceName, string[]> = {
    gateway: ['internet https', 'kafka', 'otel', 'redis'],
    'agent-service': ['internet https', 'kafka', 'otel', 'postgres'],
    'crm-service': ['kafka', 'otel', 'postgres'],
    'retrieval-service': ['internet https', 'otel', 'qdrant'],
    'eval-service': ['internet https', 'kafka', 'otel', 'postgres'],
  };

  it.each(SERVICES.map((spec) => spec.name))(
    '%s reaches only the dependencies it uses',
    (name) => {
      const reached = Object.entries(targets)
        .filter(([, target]) =>
          isAllowed(policies, { from: podOf(params, name), ...target }),
        )
        .map(([target]) => target);
      expect(reached.sort()).toEqual(expected[name]);
    },
  );

  it('keeps the internet rule off the cluster and private networks', () => {
    expect(
      isAllowed(policies, {
        from: podOf(params, 'agent-service'),
        to: { kind: 'external', ip: '10.20.1.10' },
        port: 443,
      }),
    ).toBe(false);
  });

  it('dev has no internet egress at all (offline planner, HS256 tokens)', () => {
    const dev = policiesOf(devParams);
    for (const spec of SERVICES) {
      expect(
        isAllowed(dev, {
          from: podOf(devParams, spec.name),
          to: openai,
          port: 443,
        }),
      ).toBe(false);
    }
  });
});

describe('the reachability evaluator', () => {
  it('matches CIDR blocks', () => {
    expect(inCidr('10.20.1.10', '10.20.1.0/24')).toBe(true);
    expect(inCidr('10.20.2.10', '10.20.1.0/24')).toBe(false);
    expect(inCidr('203.0.113.9', '0.0.0.0/0')).toBe(true);
  });

  it('treats a namespace without policies as open, and one deny-all as closed', () => {
    const a: PodEndpoint = { kind: 'pod', namespace: 'a', labels: { x: '1' } };
    const b: PodEndpoint = { kind: 'pod', namespace: 'b', labels: { y: '1' } };
    expect(isAllowed([], { from: a, to: b, port: 80 })).toBe(true);
    const denyAll: INetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: 'b' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    expect(isAllowed([denyAll], { from: a, to: b, port: 80 })).toBe(false);
    expect(isAllowed([denyAll], { from: b, to: a, port: 80 })).toBe(true);
  });
});
