import { describe, expect, it } from 'vitest';
import { FEEDBACK_LIMITS, feedbackSubmittedV1Schema } from '../src/index.js';

const minimal = {
  feedbackId: 'fb-1',
  conversationId: 'conv-1',
  userId: 'u-1',
  tenant: 'lumen',
  rating: 'down',
};

describe('fieldwise.feedback.submitted.v1', () => {
  it('reads an event without the rated turn (published before it was carried)', () => {
    expect(feedbackSubmittedV1Schema.parse(minimal)).toEqual({
      ...minimal,
      reasons: [],
      draftEdits: [],
      toolCalls: [],
    });
  });

  it('carries the question, answer, corrected answer, tool calls and draft edits', () => {
    const data = {
      ...minimal,
      question: 'Who owns Acme?',
      answer: 'Daniel Wagner ([REDACTED:EMAIL]).',
      correctedAnswer: 'Uma Kim owns Acme.',
      toolCalls: [{ name: 'account_360', status: 'executed' }],
      draftEdits: [
        { draftId: 'd-1', field: 'subject', before: 'Hi', after: 'Renewal' },
      ],
    };
    expect(feedbackSubmittedV1Schema.parse(data)).toMatchObject(data);
  });

  it('rejects free text over its cap and a draft edit without its field', () => {
    const over = (field: 'question' | 'answer' | 'correctedAnswer') =>
      feedbackSubmittedV1Schema.safeParse({
        ...minimal,
        [field]: 'x'.repeat(FEEDBACK_LIMITS[field] + 1),
      }).success;
    expect(over('question')).toBe(false);
    expect(over('answer')).toBe(false);
    expect(over('correctedAnswer')).toBe(false);
    expect(
      feedbackSubmittedV1Schema.safeParse({
        ...minimal,
        draftEdits: [{ draftId: 'd-1', before: 'a', after: 'b' }],
      }).success,
    ).toBe(false);
    expect(
      feedbackSubmittedV1Schema.safeParse({
        ...minimal,
        draftEdits: Array.from(
          { length: FEEDBACK_LIMITS.draftEdits + 1 },
          () => ({ draftId: 'd', field: 'f', before: '', after: '' }),
        ),
      }).success,
    ).toBe(false);
  });
});
