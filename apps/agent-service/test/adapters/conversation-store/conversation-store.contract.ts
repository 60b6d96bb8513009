import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ConversationRecord,
  ConversationStore,
  PendingActionRecord,
} from '../../../src/adapters/conversation-store/port.js';

/** A store under test and how to dispose of it. */
export interface StoreFixture {
  readonly store: ConversationStore;
  dispose(): Promise<void>;
}

const t0 = Date.parse('2026-11-25T10:00:00Z');

function conversation(
  id: string,
  userId: string,
  at: number,
  tenant = 'lumen',
): ConversationRecord {
  return {
    id,
    tenant,
    userId,
    title: `title ${id}`,
    createdAt: new Date(at),
    updatedAt: new Date(at),
    messageCount: 0,
    summary: '',
    summarizedThrough: 0,
  };
}

function action(id: string, conversationId: string): PendingActionRecord {
  return {
    id,
    conversationId,
    tenant: 'lumen',
    userId: 'u1',
    tool: 'update_crm_field',
    argumentsJson: '{"a":1}',
    argumentsSha256: 'f'.repeat(64),
    summary: 'Change stage',
    changes: [{ field: 'stage', before: 'PROPOSAL', after: 'NEGOTIATION' }],
    targetJson: '{"entityType":"opportunity","entityId":"o1","version":3}',
    status: 'pending',
    createdAt: new Date(t0),
    expiresAt: new Date(t0 + 600_000),
    decidedAt: null,
    resultJson: '',
    errorCode: '',
  };
}

/** The one contract every ConversationStore passes (SQLite and PostgreSQL). */
export function runConversationStoreContract(
  name: string,
  open: () => Promise<StoreFixture>,
): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: ConversationStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.dispose());

    it('creates and reads a conversation only for its owner and tenant', async () => {
      await store.createConversation(conversation('c1', 'u1', t0));
      expect(await store.getConversation('lumen', 'u1', 'c1')).toEqual(
        conversation('c1', 'u1', t0),
      );
      expect(await store.getConversation('lumen', 'u2', 'c1')).toBeUndefined();
      expect(
        await store.getConversation('northstar', 'u1', 'c1'),
      ).toBeUndefined();
    });

    it('lists a user’s conversations, most recently updated first, paged', async () => {
      for (let i = 0; i < 5; i++)
        await store.createConversation(
          conversation(`c${i}`, 'u1', t0 + i * 1000),
        );
      await store.createConversation(conversation('other', 'u2', t0 + 99_000));
      await store.appendMessages(
        'c1',
        [
          {
            id: 'm1',
            role: 'user',
            content: 'hi',
            createdAt: new Date(t0 + 50_000),
            metadata: {},
          },
        ],
        new Date(t0 + 50_000),
      );
      const first = await store.listConversations('lumen', 'u1', {
        pageSize: 2,
        pageToken: '',
      });
      expect(first.items.map((c) => c.id)).toEqual(['c1', 'c4']);
      expect(first.items[0]!.messageCount).toBe(1);
      const second = await store.listConversations('lumen', 'u1', {
        pageSize: 2,
        pageToken: first.nextPageToken,
      });
      expect(second.items.map((c) => c.id)).toEqual(['c3', 'c2']);
      const third = await store.listConversations('lumen', 'u1', {
        pageSize: 2,
        pageToken: second.nextPageToken,
      });
      expect(third.items.map((c) => c.id)).toEqual(['c0']);
      expect(third.nextPageToken).toBe('');
      await expect(
        store.listConversations('lumen', 'u1', {
          pageSize: 2,
          pageToken: 'garbage!',
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('appends messages in sequence and keeps their metadata', async () => {
      await store.createConversation(conversation('c1', 'u1', t0));
      await store.appendMessages(
        'c1',
        [
          {
            id: 'm1',
            role: 'user',
            content: 'question',
            createdAt: new Date(t0),
            metadata: {},
          },
          {
            id: 'm2',
            role: 'assistant',
            content: 'answer',
            createdAt: new Date(t0),
            metadata: { citations: [{ chunkId: 'x' }] },
          },
        ],
        new Date(t0 + 1),
      );
      const more = await store.appendMessages(
        'c1',
        [
          {
            id: 'm3',
            role: 'user',
            content: 'again',
            createdAt: new Date(t0 + 2),
            metadata: {},
          },
        ],
        new Date(t0 + 2),
      );
      expect(more.map((m) => m.seq)).toEqual([3]);
      const messages = await store.listMessages('c1');
      expect(messages.map((m) => [m.seq, m.role, m.content])).toEqual([
        [1, 'user', 'question'],
        [2, 'assistant', 'answer'],
        [3, 'user', 'again'],
      ]);
      expect(messages[1]!.metadata).toEqual({ citations: [{ chunkId: 'x' }] });
      expect(
        (await store.getConversation('lumen', 'u1', 'c1'))?.updatedAt,
      ).toEqual(new Date(t0 + 2));
    });

    it('stores the running summary', async () => {
      await store.createConversation(conversation('c1', 'u1', t0));
      await store.setSummary('c1', 'User asked: x', 4);
      expect(await store.getConversation('lumen', 'u1', 'c1')).toMatchObject({
        summary: 'User asked: x',
        summarizedThrough: 4,
      });
    });

    it('moves a pending action only from the expected status (compare-and-set)', async () => {
      await store.createConversation(conversation('c1', 'u1', t0));
      await store.savePendingAction(action('a1', 'c1'));
      expect(await store.getPendingAction('a1')).toEqual(action('a1', 'c1'));
      const claims = await Promise.all([
        store.transitionPendingAction('a1', 'pending', 'executing', {
          decidedAt: new Date(t0 + 5),
        }),
        store.transitionPendingAction('a1', 'pending', 'executing', {
          decidedAt: new Date(t0 + 6),
        }),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(
        await store.transitionPendingAction('a1', 'pending', 'rejected'),
      ).toBe(false);
      expect(
        await store.transitionPendingAction('a1', 'executing', 'executed', {
          resultJson: '{"v":4}',
          argumentsJson: '{}',
        }),
      ).toBe(true);
      expect(await store.getPendingAction('a1')).toMatchObject({
        status: 'executed',
        resultJson: '{"v":4}',
        argumentsJson: '{}',
        errorCode: '',
      });
      expect(await store.getPendingAction('missing')).toBeUndefined();
    });
  });
}
