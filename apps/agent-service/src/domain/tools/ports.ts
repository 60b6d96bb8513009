import type {
  CreateEmailDraftRequest,
  CreateEmailDraftResponse,
  CreateProposalRequest,
  CreateProposalResponse,
  FindAccountsRequest,
  FindAccountsResponse,
  GetAccount360Request,
  GetAccount360Response,
  GetConsumptionRequest,
  GetConsumptionResponse,
  GetHygieneAlertsRequest,
  GetHygieneAlertsResponse,
  GetOpportunityRequest,
  GetOpportunityResponse,
  GetSimilarCustomersRequest,
  GetSimilarCustomersResponse,
  GetSupportCasesRequest,
  GetSupportCasesResponse,
  GetUseCaseRequest,
  GetUseCaseResponse,
  ListContactsRequest,
  ListContactsResponse,
  SearchRequest,
  SearchResponse,
  UpdateFieldRequest,
  UpdateFieldResponse,
} from '@fieldwise/contracts';
import type { Principal } from '@fieldwise/principal';

/**
 * Who a downstream call is made for and how long it may take. `principal`
 * is the END USER (with the agent as `actor`): the CRM and retrieval
 * services enforce that user's territory and document rights themselves.
 */
export interface DownstreamCall {
  readonly principal: Principal;
  readonly signal: AbortSignal;
  readonly deadline: Date;
}

/**
 * The CRM operations the tools use, shaped exactly like the CRM gRPC
 * contract. Implementations: the gRPC client adapter (production) and
 * in-process fakes (tests, benchmarks). Errors are `FieldwiseError`s with
 * the CRM's codes (`NOT_FOUND` for an invisible record, `CONFLICT` for a
 * stale version, `VALIDATION_FAILED` for a bad field or value).
 */
export interface CrmTools {
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
  getSupportCases(
    request: GetSupportCasesRequest,
    call: DownstreamCall,
  ): Promise<GetSupportCasesResponse>;
  getSimilarCustomers(
    request: GetSimilarCustomersRequest,
    call: DownstreamCall,
  ): Promise<GetSimilarCustomersResponse>;
  getHygieneAlerts(
    request: GetHygieneAlertsRequest,
    call: DownstreamCall,
  ): Promise<GetHygieneAlertsResponse>;
  getOpportunity(
    request: GetOpportunityRequest,
    call: DownstreamCall,
  ): Promise<GetOpportunityResponse>;
  getUseCase(
    request: GetUseCaseRequest,
    call: DownstreamCall,
  ): Promise<GetUseCaseResponse>;
  listContacts(
    request: ListContactsRequest,
    call: DownstreamCall,
  ): Promise<ListContactsResponse>;
  updateField(
    request: UpdateFieldRequest,
    call: DownstreamCall,
  ): Promise<UpdateFieldResponse>;
  createEmailDraft(
    request: CreateEmailDraftRequest,
    call: DownstreamCall,
  ): Promise<CreateEmailDraftResponse>;
  createProposal(
    request: CreateProposalRequest,
    call: DownstreamCall,
  ): Promise<CreateProposalResponse>;
}

/** The retrieval operations the tools use, shaped like the retrieval gRPC contract. */
export interface RetrievalTools {
  search(request: SearchRequest, call: DownstreamCall): Promise<SearchResponse>;
}
