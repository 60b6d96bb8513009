import type { CrmServiceService } from '@fieldwise/contracts';
import type { GrpcServiceClient, RpcCallOptions } from '@fieldwise/grpc';
import type { CrmTools, DownstreamCall } from '../../domain/tools/ports.js';
import type { DownstreamSigner } from './downstream-signer.js';

/**
 * {@link CrmTools} over the crm-service gRPC contract. Every call carries a
 * freshly signed principal for the end user (agent as actor), the call's
 * deadline and abort signal; reads are marked idempotent (retried on
 * UNAVAILABLE), writes rely on their idempotency key instead.
 */
export class GrpcCrmTools implements CrmTools {
  constructor(
    private readonly client: GrpcServiceClient<typeof CrmServiceService>,
    private readonly signer: DownstreamSigner,
  ) {}

  private async options(
    call: DownstreamCall,
    idempotent: boolean,
  ): Promise<RpcCallOptions> {
    return {
      principalToken: await this.signer.tokenFor(call.principal),
      deadline: call.deadline,
      signal: call.signal,
      idempotent,
    };
  }

  async findAccounts(...[request, call]: Parameters<CrmTools['findAccounts']>) {
    return this.client.findAccounts(request, await this.options(call, true));
  }
  async getAccount360(
    ...[request, call]: Parameters<CrmTools['getAccount360']>
  ) {
    return this.client.getAccount360(request, await this.options(call, true));
  }
  async getConsumption(
    ...[request, call]: Parameters<CrmTools['getConsumption']>
  ) {
    return this.client.getConsumption(request, await this.options(call, true));
  }
  async getSupportCases(
    ...[request, call]: Parameters<CrmTools['getSupportCases']>
  ) {
    return this.client.getSupportCases(request, await this.options(call, true));
  }
  async getSimilarCustomers(
    ...[request, call]: Parameters<CrmTools['getSimilarCustomers']>
  ) {
    return this.client.getSimilarCustomers(
      request,
      await this.options(call, true),
    );
  }
  async getHygieneAlerts(
    ...[request, call]: Parameters<CrmTools['getHygieneAlerts']>
  ) {
    return this.client.getHygieneAlerts(
      request,
      await this.options(call, true),
    );
  }
  async getOpportunity(
    ...[request, call]: Parameters<CrmTools['getOpportunity']>
  ) {
    return this.client.getOpportunity(request, await this.options(call, true));
  }
  async getUseCase(...[request, call]: Parameters<CrmTools['getUseCase']>) {
    return this.client.getUseCase(request, await this.options(call, true));
  }
  async listContacts(...[request, call]: Parameters<CrmTools['listContacts']>) {
    return this.client.listContacts(request, await this.options(call, true));
  }
  // Writes carry an idempotency key, so a retry returns the first outcome.
  async updateField(...[request, call]: Parameters<CrmTools['updateField']>) {
    return this.client.updateField(request, await this.options(call, true));
  }
  async createEmailDraft(
    ...[request, call]: Parameters<CrmTools['createEmailDraft']>
  ) {
    return this.client.createEmailDraft(
      request,
      await this.options(call, true),
    );
  }
  async createProposal(
    ...[request, call]: Parameters<CrmTools['createProposal']>
  ) {
    return this.client.createProposal(request, await this.options(call, true));
  }
}
