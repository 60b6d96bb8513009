import {
  EvalServiceService,
  type GetRunReportRequest,
  type GetRunReportResponse,
  type GetRunRequest,
  type GetRunResponse,
  type ListDatasetsRequest,
  type ListDatasetsResponse,
  type ListRunsRequest,
  type ListRunsResponse,
  type StartRunRequest,
  type StartRunResponse,
} from '@fieldwise/contracts';
import { createGrpcClient, type GrpcServiceClient } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import { callUnary } from './downstream-call.js';
import type { DownstreamCall } from './identity-client.js';

/**
 * Port: the evaluation calls the public API exposes. The eval-service
 * scopes everything to the principal's tenant and role.
 */
export interface EvalClient {
  listRuns(
    request: ListRunsRequest,
    call: DownstreamCall,
  ): Promise<ListRunsResponse>;
  startRun(
    request: StartRunRequest,
    call: DownstreamCall,
  ): Promise<StartRunResponse>;
  getRun(request: GetRunRequest, call: DownstreamCall): Promise<GetRunResponse>;
  getRunReport(
    request: GetRunReportRequest,
    call: DownstreamCall,
  ): Promise<GetRunReportResponse>;
  listDatasets(
    request: ListDatasetsRequest,
    call: DownstreamCall,
  ): Promise<ListDatasetsResponse>;
}

/** {@link EvalClient} over gRPC; reads are retried on UNAVAILABLE, StartRun never is. */
export class GrpcEvalClient implements EvalClient {
  private readonly client: GrpcServiceClient<typeof EvalServiceService>;

  constructor(
    address: string,
    options: { deadlineMs: number; logger?: Logger },
  ) {
    this.client = createGrpcClient(EvalServiceService, address, {
      defaultDeadlineMs: options.deadlineMs,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  listRuns(request: ListRunsRequest, call: DownstreamCall) {
    return callUnary(this.client.listRuns, request, call, true);
  }

  startRun(request: StartRunRequest, call: DownstreamCall) {
    // A retried StartRun could queue the same run twice.
    return callUnary(this.client.startRun, request, call, false);
  }

  getRun(request: GetRunRequest, call: DownstreamCall) {
    return callUnary(this.client.getRun, request, call, true);
  }

  getRunReport(request: GetRunReportRequest, call: DownstreamCall) {
    return callUnary(this.client.getRunReport, request, call, true);
  }

  listDatasets(request: ListDatasetsRequest, call: DownstreamCall) {
    return callUnary(this.client.listDatasets, request, call, true);
  }

  close(): void {
    this.client.close();
  }
}
