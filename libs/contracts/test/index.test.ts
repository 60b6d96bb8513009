import type { ServiceDefinition } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import * as contracts from '../src/index.js';

interface GeneratedClient {
  readonly service: ServiceDefinition;
  readonly serviceName: string;
}

const services: ReadonlyArray<
  readonly [string, string, ServiceDefinition, GeneratedClient]
> = [
  [
    'common',
    'IdentityService',
    contracts.IdentityServiceService,
    contracts.IdentityServiceClient,
  ],
  [
    'agent',
    'AgentService',
    contracts.AgentServiceService,
    contracts.AgentServiceClient,
  ],
  [
    'retrieval',
    'RetrievalService',
    contracts.RetrievalServiceService,
    contracts.RetrievalServiceClient,
  ],
  [
    'crm',
    'CrmService',
    contracts.CrmServiceService,
    contracts.CrmServiceClient,
  ],
  [
    'eval',
    'EvalService',
    contracts.EvalServiceService,
    contracts.EvalServiceClient,
  ],
];

describe('public surface', () => {
  it.each(services)(
    'exports the %s package %s definition and a client bound to it',
    (pkg, name, definition, client) => {
      const paths = Object.values(definition).map((method) => method.path);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        expect(path).toMatch(
          new RegExp(`^/fieldwise\\.${pkg}\\.v1\\.${name}/[A-Z]\\w+$`),
        );
      }
      expect(client.service).toBe(definition);
      expect(client.serviceName).toBe(`fieldwise.${pkg}.v1.${name}`);
    },
  );

  it('streams only Chat and StreamRunProgress, from the server', () => {
    const streaming = services.flatMap(([, , definition]) =>
      Object.values(definition)
        .filter((method) => method.responseStream || method.requestStream)
        .map((method) => `${method.path} ${String(method.requestStream)}`),
    );
    expect(streaming.sort()).toEqual([
      '/fieldwise.agent.v1.AgentService/Chat false',
      '/fieldwise.eval.v1.EvalService/StreamRunProgress false',
    ]);
  });
});
