import { z } from 'zod';

/** The feedback event types, versioned in the type. */
export const FEEDBACK_EVENT_TYPES = {
  submitted: 'fieldwise.feedback.submitted.v1',
} as const;

/**
 * Size caps of the free-text fields of `fieldwise.feedback.submitted.v1`.
 * Producers truncate to these before publishing (an event over a cap is
 * invalid and would be dead-lettered).
 */
export const FEEDBACK_LIMITS = {
  comment: 2000,
  question: 8000,
  answer: 16_000,
  correctedAnswer: 8000,
  /** Draft edits per event (one entry per edited field). */
  draftEdits: 50,
  /** `before` and `after` of one draft edit. */
  draftEditText: 8000,
  toolCalls: 20,
} as const;

/** One field of a draft (email or proposal) the seller edited, before and after. */
export const feedbackDraftEditSchema = z.object({
  /** Id of the draft (email draft or proposal id). */
  draftId: z.string().min(1).max(128),
  /** The edited field, e.g. `subject` or `body`. */
  field: z.string().min(1).max(128),
  before: z.string().max(FEEDBACK_LIMITS.draftEditText),
  after: z.string().max(FEEDBACK_LIMITS.draftEditText),
});

/** A draft edit carried by a feedback event. */
export type FeedbackDraftEdit = z.infer<typeof feedbackDraftEditSchema>;

/**
 * `fieldwise.feedback.submitted.v1`: a user rated an answer. Besides the
 * rating it carries what the eval service needs to turn negative feedback
 * into a candidate case: the rated turn's question and answer, the tools
 * that turn called, the corrected answer and the seller's draft edits.
 * Every free-text field is redacted upstream through the platform's one
 * guardrail redactor (PII and secrets become placeholders) and truncated
 * to {@link FEEDBACK_LIMITS}; clear PII never reaches the topic. The added
 * fields are optional, so earlier events still parse.
 */
export const feedbackSubmittedV1Schema = z.object({
  feedbackId: z.string().min(1).max(128),
  conversationId: z.string().min(1).max(128),
  messageId: z.string().min(1).max(128).optional(),
  userId: z.string().min(1).max(256),
  tenant: z.string().min(1).max(128),
  rating: z.enum(['up', 'down']),
  reasons: z.array(z.string().min(1).max(64)).max(16).default([]),
  comment: z.string().max(FEEDBACK_LIMITS.comment).optional(),
  /** The user message of the rated turn (redacted as stored). */
  question: z.string().max(FEEDBACK_LIMITS.question).optional(),
  /** The rated assistant answer (redacted as stored). */
  answer: z.string().max(FEEDBACK_LIMITS.answer).optional(),
  /** The answer the user says would have been right (redacted). */
  correctedAnswer: z.string().max(FEEDBACK_LIMITS.correctedAnswer).optional(),
  /** The seller's edits to drafts of the rated turn (redacted). */
  draftEdits: z
    .array(feedbackDraftEditSchema)
    .max(FEEDBACK_LIMITS.draftEdits)
    .default([]),
  /** The tools the rated turn called, in order, with their outcome. */
  toolCalls: z
    .array(
      z.object({
        name: z.string().min(1).max(100),
        status: z
          .enum(['executed', 'pending_confirmation', 'denied', 'failed'])
          .default('executed'),
      }),
    )
    .max(FEEDBACK_LIMITS.toolCalls)
    .default([]),
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  model: z
    .object({
      provider: z.string().min(1).max(64),
      name: z.string().min(1).max(128),
    })
    .optional(),
});

/** Payload of `fieldwise.feedback.submitted.v1`. */
export type FeedbackSubmittedV1 = z.infer<typeof feedbackSubmittedV1Schema>;

/** What a producer fills in (defaulted fields may be left out). */
export type FeedbackSubmittedV1Input = z.input<
  typeof feedbackSubmittedV1Schema
>;
