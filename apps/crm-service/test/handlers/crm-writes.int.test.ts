import {
  CreateEmailDraftRequest,
  CreateProposalRequest,
  CrmEntityType,
  EmailKind,
  UpdateFieldRequest,
} from '@fieldwise/contracts';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, smallDataset } from '../helpers/fixtures.js';
import { outcome, startCrm, type CrmUnderTest } from './harness.js';

const data = smallDataset();
const amerEast = new Set(
  data.accounts
    .filter((a) => a.tenantId === 'lumen' && a.territoryId === 'amer-east')
    .map((a) => a.id),
);
/** Open opportunities seller 01 may write (amer-east) and seller 06 may not. */
const writable = data.opportunities.filter(
  (o) =>
    amerEast.has(o.accountId) &&
    o.stage !== 'Closed Won' &&
    o.stage !== 'Closed Lost',
);

function opportunity(index: number) {
  const o = writable[index];
  if (!o) throw new Error(`fewer than ${index + 1} writable opportunities`);
  return o;
}

const update = (fields: Partial<UpdateFieldRequest>) =>
  UpdateFieldRequest.fromPartial({
    entityType: CrmEntityType.OPPORTUNITY,
    ...fields,
  });

describe('crm gRPC writes (SQLite)', () => {
  let crm: CrmUnderTest;

  beforeAll(async () => {
    crm = await startCrm(data);
  }, 60_000);
  afterAll(async () => {
    await crm?.stop();
  });

  const dataChanges = () =>
    crm.auditEvents().filter((e) => e.type === AUDIT_EVENT_TYPES.dataChange);

  it('updates a field, renders before/after and appends a data-change audit event', async () => {
    const opp = opportunity(0);
    const before = dataChanges().length;
    const result = await crm.client.updateField(
      update({
        entityId: opp.id,
        field: 'amount',
        newValue: '125000.50',
        expectedVersion: opp.version,
      }),
      await crm.as(callers.seller01),
    );
    expect(result).toMatchObject({
      entityType: CrmEntityType.OPPORTUNITY,
      entityId: opp.id,
      change: { field: 'amount', after: '125000.50' },
      newVersion: opp.version + 1,
      replayed: false,
    });
    const events = dataChanges();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)?.data).toMatchObject({
      entity: 'opportunity',
      entityId: opp.id,
      operation: 'update',
      service: 'crm-service',
      versionBefore: opp.version,
      versionAfter: opp.version + 1,
      actor: { userId: 'usr-lumen-seller-01', kind: 'user', tenant: 'lumen' },
      changes: [
        {
          field: 'amount',
          // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers are typed any
          afterSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      ],
    });
  });

  it('of two concurrent updates exactly one wins; the other is ABORTED with the current value', async () => {
    const opp = opportunity(1);
    const options = await crm.as(callers.seller01);
    const attempt = (stage: string) =>
      crm.client.updateField(
        update({
          entityId: opp.id,
          field: 'stage',
          newValue: stage,
          expectedVersion: opp.version,
        }),
        options,
      );
    const results = await Promise.all([
      outcome(attempt('NEGOTIATION')),
      outcome(attempt('PROPOSAL')),
    ]);
    expect(results.map((r) => r.code).sort()).toEqual(['CONFLICT', 'OK']);
    const loser = results.find((r) => r.code === 'CONFLICT');
    expect(loser?.status).toBe(10);
    const winner = results[0]?.code === 'OK' ? 'NEGOTIATION' : 'PROPOSAL';
    expect(loser?.context).toMatchObject({
      currentVersion: String(opp.version + 1),
      currentValue: winner,
    });
  });

  it('a replay with the same idempotency key returns the first outcome and changes nothing', async () => {
    const opp = opportunity(2);
    const options = await crm.as(callers.seller01);
    const request = update({
      entityId: opp.id,
      field: 'next_step',
      newValue: 'Send the security questionnaire',
      expectedVersion: opp.version,
      idempotencyKey: 'pending-action-0001',
    });
    const first = await crm.client.updateField(request, options);
    const eventsAfterFirst = dataChanges().length;
    const replay = await crm.client.updateField(request, options);
    expect(first.replayed).toBe(false);
    expect(replay).toEqual({ ...first, replayed: true });
    const now = await crm.client.getOpportunity(
      { opportunityId: opp.id },
      options,
    );
    expect(now.opportunity?.version).toBe(opp.version + 1);
    expect(now.opportunity?.nextStep).toBe('Send the security questionnaire');
    expect(dataChanges()).toHaveLength(eventsAfterFirst);
    expect(dataChanges().at(-1)?.data).toMatchObject({
      idempotencyKey: 'pending-action-0001',
    });
  });

  it('an out-of-territory write is PERMISSION_DENIED and audited as a deny', async () => {
    const opp = opportunity(3);
    const result = await outcome(
      crm.client.updateField(
        update({
          entityId: opp.id,
          field: 'stage',
          newValue: 'NEGOTIATION',
          expectedVersion: opp.version,
        }),
        await crm.as(callers.seller06),
      ),
    );
    expect(result).toMatchObject({ code: 'PERMISSION_DENIED', status: 7 });
    const denial = crm
      .auditEvents()
      .filter((e) => e.type === AUDIT_EVENT_TYPES.authzDecision)
      .at(-1);
    expect(denial?.data).toMatchObject({
      decision: 'deny',
      resource: `opportunity/${opp.id}`,
      action: 'update_field',
      actor: { userId: 'usr-lumen-seller-06' },
    });
    const after = await crm.client.getOpportunity(
      { opportunityId: opp.id },
      await crm.as(callers.seller01),
    );
    expect(after.opportunity?.version).toBe(opp.version);
  });

  it('creates an email draft and a proposal, once per idempotency key', async () => {
    const options = await crm.as(callers.seller01);
    const draftRequest = CreateEmailDraftRequest.fromPartial({
      accountId: 'acc-lumen-0001',
      kind: EmailKind.PROSPECTING,
      subject: 'streaming analytics',
      idempotencyKey: 'draft-key-0001',
    });
    const draft = await crm.client.createEmailDraft(draftRequest, options);
    expect(draft.draft).toMatchObject({
      accountId: 'acc-lumen-0001',
      kind: EmailKind.PROSPECTING,
      createdBy: 'usr-lumen-seller-01',
    });
    expect(draft.draft?.subject).toContain('streaming analytics');
    expect(draft.draft?.to).toContain('@');
    const again = await crm.client.createEmailDraft(draftRequest, options);
    expect(again).toEqual({ ...draft, replayed: true });

    const proposal = await crm.client.createProposal(
      CreateProposalRequest.fromPartial({
        accountId: 'acc-lumen-0001',
        idempotencyKey: 'proposal-key-01',
      }),
      options,
    );
    expect(proposal.proposal?.markdown).toContain('# ');
    expect(proposal.proposal?.html).toContain('<h1>');
    // The contract's default features the top use cases by revenue.
    expect(proposal.proposal?.markdown).toContain(
      'SaaS connectors to warehouse',
    );
    expect(proposal.replayed).toBe(false);
    expect(
      dataChanges()
        .filter((e) => e.data['operation'] === 'create')
        .map((e) => e.data['entity']),
    ).toEqual(['email_draft', 'proposal']);
  });
});
