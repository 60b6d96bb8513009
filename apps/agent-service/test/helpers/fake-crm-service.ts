import { CrmServiceService } from '@fieldwise/contracts';
import { implementService, type CallContext } from '@fieldwise/grpc';
import type { Principal } from '@fieldwise/principal';
import type { FakeCrm } from './fake-crm.js';

/**
 * The fake CRM behind a real gRPC server, so the agent's gRPC adapter,
 * signing and deadlines run for real. Every caller's principal lands in
 * `seen`; the fake itself records calls and writes.
 */
export function fakeCrmService(crm: FakeCrm, seen: Principal[] = []) {
  const call = (ctx: CallContext) => {
    seen.push(ctx.principal);
    return {
      principal: ctx.principal,
      signal: ctx.signal,
      deadline: ctx.deadline,
    };
  };
  return implementService(CrmServiceService, {
    findAccounts: (r, ctx) => crm.findAccounts(r, call(ctx)),
    getAccount360: (r, ctx) => crm.getAccount360(r, call(ctx)),
    getConsumption: (r, ctx) => crm.getConsumption(r, call(ctx)),
    getSupportCases: (r, ctx) => crm.getSupportCases(r, call(ctx)),
    getSimilarCustomers: (r, ctx) => crm.getSimilarCustomers(r, call(ctx)),
    getHygieneAlerts: (r, ctx) => crm.getHygieneAlerts(r, call(ctx)),
    getOpportunity: (r, ctx) => crm.getOpportunity(r, call(ctx)),
    getUseCase: (r, ctx) => crm.getUseCase(r, call(ctx)),
    listContacts: (r, ctx) => crm.listContacts(r, call(ctx)),
    updateField: (r, ctx) => crm.updateField(r, call(ctx)),
    createEmailDraft: (r, ctx) => crm.createEmailDraft(r, call(ctx)),
    createProposal: (r, ctx) => crm.createProposal(r, call(ctx)),
    listUsers: () => ({ users: [], page: undefined }),
    getUser: () => ({ user: undefined }),
  });
}
