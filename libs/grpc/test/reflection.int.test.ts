import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credentials,
  loadPackageDefinition,
  type Client,
  type ClientDuplexStream,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { startHarness, type Harness } from './support/harness.js';

interface ReflectionRequest {
  listServices: string;
}
interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
}
type ReflectionClient = Client & {
  serverReflectionInfo(): ClientDuplexStream<
    ReflectionRequest,
    ReflectionResponse
  >;
};

const require = createRequire(import.meta.url);
const reflectionProto = join(
  dirname(require.resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ reflection: loadSync(healthProtoPath) });
});

afterAll(async () => {
  await h.close();
});

describe('reflection', () => {
  it('answers without a principal', async () => {
    const grpcPackage = loadPackageDefinition(
      loadSync(reflectionProto),
    ) as unknown as {
      grpc: {
        reflection: { v1: { ServerReflection: ServiceClientConstructor } };
      };
    };
    const Reflection = grpcPackage.grpc.reflection.v1.ServerReflection;
    const client = new Reflection(
      h.address,
      credentials.createInsecure(),
    ) as unknown as ReflectionClient;

    const call = client.serverReflectionInfo();
    const response = await new Promise<ReflectionResponse>(
      (resolve, reject) => {
        call.on('data', resolve);
        call.on('error', reject);
        call.write({ listServices: '' });
      },
    );
    call.end();
    client.close();

    const names = response.listServicesResponse?.service.map((s) => s.name);
    expect(names).toContain('grpc.health.v1.Health');
  });
});
