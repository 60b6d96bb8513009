import {
  CreateEmailDraftRequest,
  CreateProposalRequest,
  type CrmEntityType,
  type EmailKind,
  FindAccountsRequest,
  GetAccount360Request,
  GetConsumptionRequest,
  GetHygieneAlertsRequest,
  GetOpportunityRequest,
  GetSimilarCustomersRequest,
  GetSupportCasesRequest,
  GetUseCaseRequest,
  GetUserRequest,
  ListContactsRequest,
  ListUsersRequest,
  UpdateFieldRequest,
  CrmServiceService,
} from '@fieldwise/contracts';
import type { GrpcServiceClient, RpcCallOptions } from '@fieldwise/grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, smallDataset } from '../helpers/fixtures.js';
import { outcome, startCrm, type CrmUnderTest } from './harness.js';

type Client = GrpcServiceClient<typeof CrmServiceService>;
type Call = (client: Client, options: RpcCallOptions) => Promise<unknown>;

const HUGE = 'x'.repeat(100_000);
const ACME = 'acc-lumen-0001';
const VALID = 'VALIDATION_FAILED';
const MISSING = 'NOT_FOUND';

/** [rpc, case, call, expected code]: every RPC with unknown ids, wrong enums, out-of-range numbers, huge strings. */
const cases: Array<[string, string, Call, string]> = [
  [
    'FindAccounts',
    'huge query',
    (c, o) =>
      c.findAccounts(FindAccountsRequest.fromPartial({ query: HUGE }), o),
    VALID,
  ],
  [
    'FindAccounts',
    'negative page size',
    (c, o) =>
      c.findAccounts(
        FindAccountsRequest.fromPartial({
          page: { pageSize: -1, pageToken: '' },
        }),
        o,
      ),
    VALID,
  ],
  [
    'FindAccounts',
    'forged page token',
    (c, o) =>
      c.findAccounts(
        FindAccountsRequest.fromPartial({
          page: { pageSize: 5, pageToken: 'bm90LWEtdG9rZW4' },
        }),
        o,
      ),
    VALID,
  ],
  [
    'FindAccounts',
    'huge owner id',
    (c, o) =>
      c.findAccounts(FindAccountsRequest.fromPartial({ ownerUserId: HUGE }), o),
    VALID,
  ],
  [
    'GetAccount360',
    'unknown id',
    (c, o) =>
      c.getAccount360(
        GetAccount360Request.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'GetAccount360',
    'empty id',
    (c, o) => c.getAccount360(GetAccount360Request.fromPartial({}), o),
    VALID,
  ],
  [
    'GetAccount360',
    'huge id',
    (c, o) =>
      c.getAccount360(GetAccount360Request.fromPartial({ accountId: HUGE }), o),
    VALID,
  ],
  [
    'GetConsumption',
    'unknown id',
    (c, o) =>
      c.getConsumption(
        GetConsumptionRequest.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'GetConsumption',
    'bad month',
    (c, o) =>
      c.getConsumption(
        GetConsumptionRequest.fromPartial({
          accountId: ACME,
          fromMonth: '2026-13',
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetConsumption',
    'future month',
    (c, o) =>
      c.getConsumption(
        GetConsumptionRequest.fromPartial({
          accountId: ACME,
          toMonth: '2027-05',
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetConsumption',
    'range too long',
    (c, o) =>
      c.getConsumption(
        GetConsumptionRequest.fromPartial({
          accountId: ACME,
          fromMonth: '2020-01',
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetConsumption',
    'unknown product line',
    (c, o) =>
      c.getConsumption(
        GetConsumptionRequest.fromPartial({
          accountId: ACME,
          productLines: ['nope'],
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetConsumption',
    'huge cloud',
    (c, o) =>
      c.getConsumption(
        GetConsumptionRequest.fromPartial({ accountId: ACME, clouds: [HUGE] }),
        o,
      ),
    VALID,
  ],
  [
    'GetSupportCases',
    'unknown id',
    (c, o) =>
      c.getSupportCases(
        GetSupportCasesRequest.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'GetSupportCases',
    'wrong severity enum',
    (c, o) =>
      c.getSupportCases(
        GetSupportCasesRequest.fromPartial({
          accountId: ACME,
          severities: [9],
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetSupportCases',
    'negative look-back',
    (c, o) =>
      c.getSupportCases(
        GetSupportCasesRequest.fromPartial({
          accountId: ACME,
          includeClosed: true,
          sinceDays: -5,
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetSupportCases',
    'look-back too long',
    (c, o) =>
      c.getSupportCases(
        GetSupportCasesRequest.fromPartial({
          accountId: ACME,
          includeClosed: true,
          sinceDays: 100_000,
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetSimilarCustomers',
    'unknown id',
    (c, o) =>
      c.getSimilarCustomers(
        GetSimilarCustomersRequest.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'GetSimilarCustomers',
    'limit out of range',
    (c, o) =>
      c.getSimilarCustomers(
        GetSimilarCustomersRequest.fromPartial({ accountId: ACME, limit: 500 }),
        o,
      ),
    VALID,
  ],
  [
    'GetSimilarCustomers',
    'negative use-case limit',
    (c, o) =>
      c.getSimilarCustomers(
        GetSimilarCustomersRequest.fromPartial({
          accountId: ACME,
          useCaseLimit: -1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'GetHygieneAlerts',
    'horizon out of range',
    (c, o) =>
      c.getHygieneAlerts(
        GetHygieneAlertsRequest.fromPartial({ horizonDays: 1000 }),
        o,
      ),
    VALID,
  ],
  [
    'GetHygieneAlerts',
    'negative limit',
    (c, o) =>
      c.getHygieneAlerts(GetHygieneAlertsRequest.fromPartial({ limit: -3 }), o),
    VALID,
  ],
  [
    'GetHygieneAlerts',
    'unknown account',
    (c, o) =>
      c.getHygieneAlerts(
        GetHygieneAlertsRequest.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'GetHygieneAlerts',
    'huge owner id',
    (c, o) =>
      c.getHygieneAlerts(
        GetHygieneAlertsRequest.fromPartial({ ownerUserId: HUGE }),
        o,
      ),
    VALID,
  ],
  [
    'GetOpportunity',
    'unknown id',
    (c, o) =>
      c.getOpportunity(
        GetOpportunityRequest.fromPartial({ opportunityId: 'opp-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'GetOpportunity',
    'huge id',
    (c, o) =>
      c.getOpportunity(
        GetOpportunityRequest.fromPartial({ opportunityId: HUGE }),
        o,
      ),
    VALID,
  ],
  [
    'GetUseCase',
    'unknown id',
    (c, o) =>
      c.getUseCase(GetUseCaseRequest.fromPartial({ useCaseId: 'uc-nope' }), o),
    MISSING,
  ],
  [
    'GetUseCase',
    'empty id',
    (c, o) => c.getUseCase(GetUseCaseRequest.fromPartial({}), o),
    VALID,
  ],
  [
    'ListContacts',
    'unknown account',
    (c, o) =>
      c.listContacts(
        ListContactsRequest.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'ListContacts',
    'huge query',
    (c, o) =>
      c.listContacts(
        ListContactsRequest.fromPartial({ accountId: ACME, query: HUGE }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'unknown record',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-nope',
          field: 'stage',
          newValue: 'NEGOTIATION',
          expectedVersion: 1,
        }),
        o,
      ),
    MISSING,
  ],
  [
    'UpdateField',
    'unspecified entity type',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityId: 'opp-1',
          field: 'stage',
          newValue: 'NEGOTIATION',
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'wrong entity enum',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 42 as CrmEntityType,
          entityId: 'opp-1',
          field: 'stage',
          newValue: 'NEGOTIATION',
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'field outside the allow-list',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-1',
          field: 'owner_id',
          newValue: 'x',
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'wrong stage name',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-1',
          field: 'stage',
          newValue: 'WON_MAYBE',
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'amount out of range',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-1',
          field: 'amount',
          newValue: '-5',
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'bad date',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-1',
          field: 'close_date',
          newValue: '31/12/2026',
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'missing version',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-1',
          field: 'next_step',
          newValue: 'call',
          expectedVersion: 0,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'huge value',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-1',
          field: 'next_step',
          newValue: HUGE,
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'huge field name',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 2,
          entityId: 'uc-1',
          field: HUGE,
          newValue: 'x',
          expectedVersion: 1,
        }),
        o,
      ),
    VALID,
  ],
  [
    'UpdateField',
    'short idempotency key',
    (c, o) =>
      c.updateField(
        UpdateFieldRequest.fromPartial({
          entityType: 1,
          entityId: 'opp-1',
          field: 'next_step',
          newValue: 'call',
          expectedVersion: 1,
          idempotencyKey: 'k',
        }),
        o,
      ),
    VALID,
  ],
  [
    'CreateEmailDraft',
    'unknown account',
    (c, o) =>
      c.createEmailDraft(
        CreateEmailDraftRequest.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'CreateEmailDraft',
    'unknown contact',
    (c, o) =>
      c.createEmailDraft(
        CreateEmailDraftRequest.fromPartial({
          accountId: ACME,
          contactId: 'con-nope',
        }),
        o,
      ),
    MISSING,
  ],
  [
    'CreateEmailDraft',
    'wrong kind enum',
    (c, o) =>
      c.createEmailDraft(
        CreateEmailDraftRequest.fromPartial({
          accountId: ACME,
          kind: 7 as EmailKind,
        }),
        o,
      ),
    VALID,
  ],
  [
    'CreateEmailDraft',
    'huge body',
    (c, o) =>
      c.createEmailDraft(
        CreateEmailDraftRequest.fromPartial({ accountId: ACME, body: HUGE }),
        o,
      ),
    VALID,
  ],
  [
    'CreateProposal',
    'unknown account',
    (c, o) =>
      c.createProposal(
        CreateProposalRequest.fromPartial({ accountId: 'acc-nope' }),
        o,
      ),
    MISSING,
  ],
  [
    'CreateProposal',
    'unknown use case',
    (c, o) =>
      c.createProposal(
        CreateProposalRequest.fromPartial({
          accountId: ACME,
          useCaseIds: ['uc-nope'],
        }),
        o,
      ),
    MISSING,
  ],
  [
    'CreateProposal',
    'unknown opportunity',
    (c, o) =>
      c.createProposal(
        CreateProposalRequest.fromPartial({
          accountId: ACME,
          opportunityId: 'opp-nope',
        }),
        o,
      ),
    MISSING,
  ],
  [
    'CreateProposal',
    'unknown template',
    (c, o) =>
      c.createProposal(
        CreateProposalRequest.fromPartial({
          accountId: ACME,
          templateId: 'glossy',
        }),
        o,
      ),
    VALID,
  ],
  [
    'CreateProposal',
    'huge title',
    (c, o) =>
      c.createProposal(
        CreateProposalRequest.fromPartial({ accountId: ACME, title: HUGE }),
        o,
      ),
    VALID,
  ],
  [
    'ListUsers',
    'unknown role',
    (c, o) => c.listUsers(ListUsersRequest.fromPartial({ role: 'wizard' }), o),
    VALID,
  ],
  [
    'ListUsers',
    'huge territory',
    (c, o) => c.listUsers(ListUsersRequest.fromPartial({ territory: HUGE }), o),
    VALID,
  ],
  [
    'GetUser',
    'unknown id',
    (c, o) => c.getUser(GetUserRequest.fromPartial({ userId: 'usr-nope' }), o),
    MISSING,
  ],
  [
    'GetUser',
    'huge id',
    (c, o) => c.getUser(GetUserRequest.fromPartial({ userId: HUGE }), o),
    VALID,
  ],
];

describe('bad input on every crm RPC is INVALID_ARGUMENT or NOT_FOUND, never INTERNAL', () => {
  let crm: CrmUnderTest;
  let options: RpcCallOptions;

  beforeAll(async () => {
    crm = await startCrm(smallDataset());
    options = await crm.as(callers.seller01);
  }, 60_000);
  afterAll(async () => {
    await crm?.stop();
  });

  it('covers every RPC of the service', () => {
    const methods = Object.keys(CrmServiceService);
    expect(methods).toHaveLength(14);
    const covered = new Set(
      cases.map(([rpc]) => rpc[0]?.toLowerCase() + rpc.slice(1)),
    );
    expect(methods.filter((m) => !covered.has(m))).toEqual([]);
  });

  it.each(cases)('%s: %s', async (_rpc, _case, call, expected) => {
    const result = await outcome(call(crm.client, options));
    expect(result.code).toBe(expected);
    expect(result.status).toBe(expected === VALID ? 3 : 5);
    expect(result.message.length).toBeGreaterThan(0);
    expect(result.message.length).toBeLessThan(2_000);
    if (expected === VALID) expect(result.violations.length).toBeGreaterThan(0);
  });
});
