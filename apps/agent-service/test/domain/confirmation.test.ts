import { FieldwiseError } from '@fieldwise/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  confirmAction,
  rejectAction,
} from '../../src/domain/actions/pending-actions.js';
import {
  createHarness,
  finalOf,
  sellerEast,
  sellerUk,
  text,
  toolCall,
  type Harness,
} from '../helpers/harness.js';

const call = () => ({
  signal: new AbortController().signal,
  deadline: new Date(Date.now() + 10_000),
});
const moveToNegotiation = toolCall('update_crm_field', {
  entityType: 'opportunity',
  entityId: 'opp-acme-renewal',
  field: 'stage',
  newValue: 'Negotiation',
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FieldwiseError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.each(['stream', 'complete'] as const)(
  'confirmed writes (%s)',
  (mode) => {
    let h: Harness;
    let actionId: string;
    beforeEach(async () => {
      h = await createHarness();
      h.model.enqueue(
        [moveToNegotiation],
        [text('I prepared the change; please confirm.')],
      );
      const events = await h.turn(
        sellerEast,
        'Move the Acme renewal to Negotiation',
        { mode },
      );
      const final = finalOf(events);
      expect(final.toolCalls.map((c) => c.status)).toEqual([
        'pending_confirmation',
      ]);
      const pending = events.find((e) => e.type === 'confirmation-required');
      expect(
        pending?.type === 'confirmation-required' && pending.action.changes,
      ).toEqual([{ field: 'stage', before: 'PROPOSAL', after: 'NEGOTIATION' }]);
      actionId = final.pendingActions[0]!.id;
      // 1. the turn wrote nothing, whatever the transport
      expect(h.crm.writes).toEqual([]);
    });
    afterEach(() => h.close());

    it('confirm once executes once, with the action id as idempotency key', async () => {
      const outcome = await confirmAction(
        h.actions,
        sellerEast,
        actionId,
        call(),
      );
      expect(outcome.errorCode).toBe('');
      expect(outcome.action.status).toBe('executed');
      expect(h.crm.writes).toEqual([
        { key: actionId, field: 'stage', value: 'NEGOTIATION' },
      ]);
    });

    it('confirm twice is refused as already decided and writes once', async () => {
      await confirmAction(h.actions, sellerEast, actionId, call());
      expect(
        await refusal(confirmAction(h.actions, sellerEast, actionId, call())),
      ).toBe('ACTION_ALREADY_DECIDED');
      expect(h.crm.writes).toHaveLength(1);
    });

    it('two concurrent confirmations execute once', async () => {
      const results = await Promise.allSettled([
        confirmAction(h.actions, sellerEast, actionId, call()),
        confirmAction(h.actions, sellerEast, actionId, call()),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(h.crm.writes).toHaveLength(1);
    });

    it('confirm by another user is refused with PERMISSION_DENIED', async () => {
      expect(
        await refusal(confirmAction(h.actions, sellerUk, actionId, call())),
      ).toBe('PERMISSION_DENIED');
      expect(h.crm.writes).toEqual([]);
    });

    it('confirm after expiry is refused with ACTION_EXPIRED', async () => {
      h.advance(600_001);
      expect(
        await refusal(confirmAction(h.actions, sellerEast, actionId, call())),
      ).toBe('ACTION_EXPIRED');
      expect(
        await refusal(confirmAction(h.actions, sellerEast, actionId, call())),
      ).toBe('ACTION_EXPIRED');
      expect(h.crm.writes).toEqual([]);
    });

    it('confirm after the record changed fails with CONFLICT and writes nothing', async () => {
      const opp = h.crm.opportunities.get('opp-acme-renewal')!;
      h.crm.opportunities.set(opp.id, { ...opp, version: opp.version + 1 });
      const outcome = await confirmAction(
        h.actions,
        sellerEast,
        actionId,
        call(),
      );
      expect(outcome.errorCode).toBe('CONFLICT');
      expect(outcome.action.status).toBe('failed');
      expect(h.crm.writes).toEqual([]);
      expect(
        await refusal(confirmAction(h.actions, sellerEast, actionId, call())),
      ).toBe('ACTION_ALREADY_DECIDED');
    });

    it('reject discards the action; a later confirm is refused', async () => {
      expect((await rejectAction(h.actions, sellerEast, actionId)).status).toBe(
        'rejected',
      );
      expect(
        await refusal(confirmAction(h.actions, sellerEast, actionId, call())),
      ).toBe('ACTION_ALREADY_DECIDED');
      expect(h.crm.writes).toEqual([]);
    });

    it('an unknown action is NOT_FOUND', async () => {
      expect(
        await refusal(confirmAction(h.actions, sellerEast, 'nope', call())),
      ).toBe('NOT_FOUND');
    });
  },
);
