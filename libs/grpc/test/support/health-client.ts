import {
  Client,
  credentials,
  Metadata,
  type ClientReadableStream,
  type MethodDefinition,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

interface HealthRequest {
  service: string;
}
interface HealthResponse {
  status: string;
}

function method(name: 'Check' | 'Watch') {
  const definition = healthService[name];
  if (!definition) throw new Error(`grpc-health-check has no ${name}`);
  return definition as MethodDefinition<HealthRequest, HealthResponse>;
}

/** A plain grpc.health.v1 client: no principal, as a probe would call. */
export class HealthClient {
  private readonly client: Client;

  constructor(address: string) {
    this.client = new Client(address, credentials.createInsecure());
  }

  check(service: string): Promise<string> {
    const check = method('Check');
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        check.path,
        check.requestSerialize,
        check.responseDeserialize,
        { service },
        new Metadata(),
        { deadline: Date.now() + 5_000 },
        (error, response) => {
          if (error) reject(error);
          else resolve(response?.status ?? 'missing');
        },
      );
    });
  }

  watch(service: string): ClientReadableStream<HealthResponse> {
    const watch = method('Watch');
    return this.client.makeServerStreamRequest(
      watch.path,
      watch.requestSerialize,
      watch.responseDeserialize,
      { service },
      new Metadata(),
    );
  }

  close(): void {
    this.client.close();
  }
}
