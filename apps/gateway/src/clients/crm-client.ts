import {
  CrmServiceService,
  type FindAccountsRequest,
  type FindAccountsResponse,
  type GetAccount360Request,
  type GetAccount360Response,
  type GetConsumptionRequest,
  type GetConsumptionResponse,
  type GetHygieneAlertsRequest,
  type GetHygieneAlertsResponse,
  type GetSimilarCustomersRequest,
  type GetSimilarCustomersResponse,
} from '@fieldwise/contracts';
import { createGrpcClient, type GrpcServiceClient } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import { callUnary } from './downstream-call.js';
import type { DownstreamCall } from './identity-client.js';

/**
 * Port: the CRM reads the public API exposes. The crm-service enforces
 * tenant and territory visibility from the signed principal; an invisible
 * record is NOT_FOUND. Failures reject with a decoded FieldwiseError.
 */
export interface CrmClient {
  findAccounts(
    request: FindAccountsRequest,
    call: DownstreamCall,
  ): Promise<FindAccountsResponse>;
  getAccount360(
    request: GetAccount360Request,
    call: DownstreamCall,
  ): Promise<GetAccount360Response>;
  getConsumption(
    request: GetConsumptionRequest,
    call: DownstreamCall,
  ): Promise<GetConsumptionResponse>;
  getSimilarCustomers(
    request: GetSimilarCustomersRequest,
    call: DownstreamCall,
  ): Promise<GetSimilarCustomersResponse>;
  getHygieneAlerts(
    request: GetHygieneAlertsRequest,
    call: DownstreamCall,
  ): Promise<GetHygieneAlertsResponse>;
}

/** {@link CrmClient} over gRPC; every method is a read, retried on UNAVAILABLE. */
export class GrpcCrmClient implements CrmClient {
  private readonly client: GrpcServiceClient<typeof CrmServiceService>;

  constructor(
    address: string,
    options: { deadlineMs: number; logger?: Logger },
  ) {
    this.client = createGrpcClient(CrmServiceService, address, {
      defaultDeadlineMs: options.deadlineMs,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  findAccounts(request: FindAccountsRequest, call: DownstreamCall) {
    return callUnary(this.client.findAccounts, request, call, true);
  }

  getAccount360(request: GetAccount360Request, call: DownstreamCall) {
    return callUnary(this.client.getAccount360, request, call, true);
  }

  getConsumption(request: GetConsumptionRequest, call: DownstreamCall) {
    return callUnary(this.client.getConsumption, request, call, true);
  }

  getSimilarCustomers(
    request: GetSimilarCustomersRequest,
    call: DownstreamCall,
  ) {
    return callUnary(this.client.getSimilarCustomers, request, call, true);
  }

  getHygieneAlerts(request: GetHygieneAlertsRequest, call: DownstreamCall) {
    return callUnary(this.client.getHygieneAlerts, request, call, true);
  }

  close(): void {
    this.client.close();
  }
}
