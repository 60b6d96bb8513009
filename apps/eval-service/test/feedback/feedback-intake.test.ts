import {
  FEEDBACK_EVENT_TYPES,
  isPermanentEventError,
  type CloudEvent,
} from '@fieldwise/events';
import { FieldwiseError } from '@fieldwise/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  handleFeedbackEvent,
  isNegativeFeedback,
  feedbackIntakeSchema,
} from '../../src/adapters/feedback/feedback-intake.js';
import type { SqliteEvalStore } from '../../src/adapters/store/sqlite-eval-store.js';
import { memoryStore, silentLogger, testDeps } from '../helpers/fixtures.js';

function event(data: Record<string, unknown>): CloudEvent {
  return {
    specversion: '1.0',
    id: typeof data['feedbackId'] === 'string' ? data['feedbackId'] : 'evt',
    source: '/fieldwise/gateway',
    type: FEEDBACK_EVENT_TYPES.submitted,
    time: '2026-11-25T12:00:00.000Z',
    datacontenttype: 'application/json',
    data,
  };
}

const base = {
  feedbackId: 'fb-1',
  conversationId: 'conv-1',
  userId: 'u-seller-1',
  tenant: 'lumen',
  rating: 'down',
};

describe('feedback intake', () => {
  let store: SqliteEvalStore;
  beforeEach(async () => {
    store = await memoryStore();
  });
  afterEach(async () => {
    await store.close();
  });
  const deps = () => ({ ...testDeps(store), logger: silentLogger });

  it('makes one candidate per feedback id, however often the event arrives', async () => {
    expect(
      await handleFeedbackEvent(
        deps(),
        event({ ...base, question: 'Who owns Acme?' }),
      ),
    ).toBe('candidate-created');
    expect(
      await handleFeedbackEvent(
        deps(),
        event({ ...base, question: 'Who owns Acme?' }),
      ),
    ).toBe('duplicate');
    const candidates = await store.listCandidateCases('lumen');
    expect(candidates).toHaveLength(1);
    expect(candidates[0]?.proposedCase).toMatchObject({
      id: 'fb-fb-1',
      user: { userId: 'u-seller-1', tenant: 'lumen', role: 'seller' },
      request: { message: 'Who owns Acme?' },
      source: 'feedback:fb-1',
    });
  });

  it('treats thumbs down, a low score and a corrected answer as negative, and ignores the rest', () => {
    const parse = (extra: Record<string, unknown>) =>
      feedbackIntakeSchema.parse({ ...base, ...extra });
    expect(isNegativeFeedback(parse({ rating: 'down' }))).toBe(true);
    expect(isNegativeFeedback(parse({ rating: 'up', score: 2 }))).toBe(true);
    expect(
      isNegativeFeedback(
        parse({ rating: 'up', correctedAnswer: 'It is $1.2M' }),
      ),
    ).toBe(true);
    expect(isNegativeFeedback(parse({ rating: 'up', score: 4 }))).toBe(false);
    expect(
      isNegativeFeedback(parse({ rating: 'up', correctedAnswer: '  ' })),
    ).toBe(false);
  });

  it('ignores positive feedback', async () => {
    expect(
      await handleFeedbackEvent(
        deps(),
        event({ ...base, feedbackId: 'fb-2', rating: 'up' }),
      ),
    ).toBe('not-negative');
    expect(await store.listCandidateCases('lumen')).toEqual([]);
  });

  it('rejects an invalid payload with a permanent error (dead-lettered by the consumer)', async () => {
    const failure = await handleFeedbackEvent(
      deps(),
      event({ ...base, rating: 'meh' }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FieldwiseError);
    expect((failure as FieldwiseError).code).toBe('VALIDATION_FAILED');
    expect(isPermanentEventError(failure)).toBe(true);
  });

  it('keeps a feedback without the question as a candidate that says what is missing', async () => {
    await handleFeedbackEvent(
      deps(),
      event({ ...base, feedbackId: 'fb/3 x', messageId: 'm-9' }),
    );
    const [candidate] = await store.listCandidateCases('lumen');
    expect(candidate?.proposedCase.id).toBe('fb-fb-3-x');
    expect(candidate?.question).toContain('conversation conv-1, message m-9');
  });

  it('carries question, answer, corrected answer and draft edits onto the candidate', async () => {
    const outcome = await handleFeedbackEvent(
      deps(),
      event({
        ...base,
        feedbackId: 'fb-4',
        question: 'Draft a follow-up to Acme',
        answer: 'Here is the draft.',
        correctedAnswer: 'Mention the renewal date.',
        draftEdits: [
          { draftId: 'd-1', field: 'subject', before: 'Hi', after: 'Renewal' },
        ],
        toolCalls: [{ name: 'draft_email', status: 'pending_confirmation' }],
      }),
    );
    expect(outcome).toBe('candidate-created');
    const [candidate] = await store.listCandidateCases('lumen');
    expect(candidate).toMatchObject({
      question: 'Draft a follow-up to Acme',
      answer: 'Here is the draft.',
      correctedAnswer: 'Mention the renewal date.',
      draftEdits: [
        { draftId: 'd-1', field: 'subject', before: 'Hi', after: 'Renewal' },
      ],
      proposedCase: {
        referenceAnswer: 'Mention the renewal date.',
      },
    });
    expect(candidate?.proposedCase.tags).toEqual(
      expect.arrayContaining(['corrected-answer', 'draft-edits']),
    );
    // A pending write is not an executed tool: no expected tools are proposed.
    expect(candidate?.proposedCase.expectedTools).toBeUndefined();
  });
});
