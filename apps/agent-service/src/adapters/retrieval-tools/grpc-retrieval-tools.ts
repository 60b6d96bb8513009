import type { RetrievalServiceService } from '@fieldwise/contracts';
import type { GrpcServiceClient } from '@fieldwise/grpc';
import type { RetrievalTools } from '../../domain/tools/ports.js';
import type { DownstreamSigner } from '../crm-tools/downstream-signer.js';

/** {@link RetrievalTools} over the retrieval-service gRPC contract, as the end user. */
export class GrpcRetrievalTools implements RetrievalTools {
  constructor(
    private readonly client: GrpcServiceClient<typeof RetrievalServiceService>,
    private readonly signer: DownstreamSigner,
  ) {}

  async search(...[request, call]: Parameters<RetrievalTools['search']>) {
    return this.client.search(request, {
      principalToken: await this.signer.tokenFor(call.principal),
      deadline: call.deadline,
      signal: call.signal,
      idempotent: true,
    });
  }
}
