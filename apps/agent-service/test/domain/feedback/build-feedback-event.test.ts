import { FEEDBACK_LIMITS, feedbackSubmittedV1Schema } from '@fieldwise/events';
import { FieldwiseError } from '@fieldwise/errors';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../../src/adapters/conversation-store/port.js';
import {
  createAgentGuardrails,
  createTextRedactor,
} from '../../../src/adapters/redaction/text-redactor.js';
import {
  buildFeedbackEvent,
  type FeedbackInput,
} from '../../../src/domain/feedback/build-feedback-event.js';

const redact = createTextRedactor(createAgentGuardrails());
const at = new Date('2026-11-25T10:00:00.000Z');

function message(
  id: string,
  role: 'user' | 'assistant',
  content: string,
  metadata: Record<string, unknown> = {},
): StoredMessage {
  return {
    id,
    conversationId: 'conv-1',
    seq: Number(id.slice(1)),
    role,
    content,
    createdAt: at,
    metadata,
  };
}

const messages: StoredMessage[] = [
  message('m1', 'user', 'Who is the champion at Acme?'),
  message('m2', 'assistant', 'Daniel Wagner is the champion.', {
    toolCalls: [
      { id: 'c1', name: 'find_accounts', status: 'executed' },
      { id: 'c2', name: 'draft_email', status: 'pending_confirmation' },
    ],
    model: { provider: 'offline', name: 'fieldwise-planner', offline: true },
  }),
  message('m3', 'user', 'Draft a follow-up to him'),
  message('m4', 'assistant', 'Here is a draft.', { toolCalls: [] }),
];

const input: FeedbackInput = {
  feedbackId: 'fb-1',
  conversationId: 'conv-1',
  messageId: 'm2',
  userId: 'usr-1',
  tenant: 'lumen',
  rating: 'down',
  comment: 'Wrong person. Mail me at jane.doe@example.com',
  correctedAnswer: 'Uma Kim (+1 415 555 0134) is the champion.',
  draftEdits: [
    {
      draftId: 'draft-9',
      field: 'body',
      before: 'Hi Daniel',
      after: 'Hi Uma, reach me on jane.doe@example.com',
    },
  ],
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
};

describe('buildFeedbackEvent', () => {
  it('carries the rated turn, the correction and the draft edits, redacted', async () => {
    const data = await buildFeedbackEvent({ redact }, input, messages);
    expect(feedbackSubmittedV1Schema.parse(data)).toEqual(data);
    expect(data).toMatchObject({
      feedbackId: 'fb-1',
      messageId: 'm2',
      rating: 'down',
      question: 'Who is the champion at Acme?',
      answer: 'Daniel Wagner is the champion.',
      toolCalls: [
        { name: 'find_accounts', status: 'executed' },
        { name: 'draft_email', status: 'pending_confirmation' },
      ],
      model: { provider: 'offline', name: 'fieldwise-planner' },
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(data.correctedAnswer).toContain('Uma Kim');
    expect(data.draftEdits).toHaveLength(1);
    expect(data.draftEdits[0]).toMatchObject({
      draftId: 'draft-9',
      field: 'body',
      before: 'Hi Daniel',
    });
    const serialized = JSON.stringify(data);
    expect(serialized).not.toContain('jane.doe@example.com');
    expect(serialized).not.toContain('415 555 0134');
    expect(data.comment).toMatch(/Wrong person/);
  });

  it('takes the question from the user message right before the rated answer', async () => {
    const data = await buildFeedbackEvent(
      { redact },
      { ...input, messageId: 'm4', comment: '', correctedAnswer: '' },
      messages,
    );
    expect(data.question).toBe('Draft a follow-up to him');
    expect(data.comment).toBeUndefined();
    expect(data.correctedAnswer).toBeUndefined();
  });

  it('caps long text to the event limits instead of producing an invalid event', async () => {
    const long = 'word '.repeat(4000);
    const data = await buildFeedbackEvent(
      { redact },
      {
        ...input,
        correctedAnswer: long,
        draftEdits: [
          { draftId: 'd', field: 'body', before: long, after: long },
        ],
      },
      [messages[0]!, { ...messages[1]!, content: long.repeat(2) }],
    );
    expect(data.correctedAnswer).toHaveLength(FEEDBACK_LIMITS.correctedAnswer);
    expect(data.answer).toHaveLength(FEEDBACK_LIMITS.answer);
    expect(data.draftEdits[0]?.after).toHaveLength(
      FEEDBACK_LIMITS.draftEditText,
    );
  });

  it('rejects an unknown or user message id and oversized input', async () => {
    await expect(
      buildFeedbackEvent({ redact }, { ...input, messageId: 'm1' }, messages),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const tooMany = Array.from(
      { length: FEEDBACK_LIMITS.draftEdits + 1 },
      () => ({
        draftId: 'd',
        field: 'f',
        before: '',
        after: '',
      }),
    );
    const error = await buildFeedbackEvent(
      { redact },
      { ...input, comment: 'x'.repeat(4001), draftEdits: tooMany },
      messages,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldwiseError);
    expect((error as FieldwiseError).code).toBe('VALIDATION_FAILED');
  });
});
