import { context as otelContext } from '@opentelemetry/api';
import { IdentityServiceService } from '@fieldwise/contracts';
import { createGrpcClient, type GrpcServiceClient } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import type {
  DownstreamCall,
  IdentityClient,
  ServiceIdentity,
  ServiceName,
} from './identity-client.js';

type IdentityGrpc = GrpcServiceClient<typeof IdentityServiceService>;

/** Asks each backend's IdentityService over gRPC (idempotent: retried on UNAVAILABLE). */
export class GrpcIdentityClient implements IdentityClient {
  private readonly clients: Map<ServiceName, IdentityGrpc>;

  constructor(
    addresses: Readonly<Record<ServiceName, string>>,
    options: { deadlineMs: number; logger: Logger },
  ) {
    this.clients = new Map(
      (Object.keys(addresses) as ServiceName[]).map((name) => [
        name,
        createGrpcClient(IdentityServiceService, addresses[name], {
          defaultDeadlineMs: options.deadlineMs,
          logger: options.logger,
        }),
      ]),
    );
  }

  async whoAmI(
    service: ServiceName,
    call: DownstreamCall,
  ): Promise<ServiceIdentity> {
    const client = this.clients.get(service);
    if (!client) throw new Error(`no client for ${service}`);
    const response = await otelContext.with(call.context, () =>
      client.whoAmI(
        {},
        { principalToken: call.principalToken, idempotent: true },
      ),
    );
    return {
      service: response.service,
      principal: {
        userId: response.principal?.userId ?? '',
        tenant: response.principal?.tenant ?? '',
        roles: response.principal?.roles ?? [],
        territories: response.principal?.territories ?? [],
      },
      traceId: response.traceId,
      spanId: response.spanId,
      receivedAt: response.receivedAt,
    };
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }
}
