import {
  credentials,
  makeGenericClientConstructor,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { ReadinessReport } from '../routes/health/index.js';

const HealthClient = makeGenericClientConstructor(
  healthService,
  'grpc.health.v1.Health',
);

interface HealthCheckResponse {
  status: string | number;
}

type CheckMethod = (
  request: { service: string },
  options: { deadline: Date },
  callback: (
    error: ServiceError | null,
    response?: HealthCheckResponse,
  ) => void,
) => void;

/**
 * Readiness of backend services through the standard gRPC health protocol.
 * Never throws: an unreachable service is reported as not ready with why.
 */
export class GrpcHealthProbe {
  private readonly clients: Map<string, Client>;

  constructor(
    addresses: Readonly<Record<string, string>>,
    private readonly timeoutMs: number,
  ) {
    this.clients = new Map(
      Object.entries(addresses).map(([name, address]) => [
        name,
        new HealthClient(address, credentials.createInsecure()),
      ]),
    );
  }

  async check(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.clients].map(
        async ([name, client]) => [name, await this.checkOne(client)] as const,
      ),
    );
    return Object.fromEntries(entries);
  }

  private checkOne(client: Client): Promise<{ ok: boolean; detail?: string }> {
    // The generic client exposes methods by name; grpc-js types them loosely.
    const check = (client as unknown as { check: CheckMethod }).check.bind(
      client,
    );
    return new Promise((resolve) => {
      check(
        { service: '' },
        { deadline: new Date(Date.now() + this.timeoutMs) },
        (error, response) => {
          if (error)
            resolve({ ok: false, detail: error.details || error.message });
          else if (response?.status === 'SERVING' || response?.status === 1)
            resolve({ ok: true });
          else
            resolve({
              ok: false,
              detail: `status ${String(response?.status)}`,
            });
        },
      );
    });
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }
}
