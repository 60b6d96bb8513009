import { feedbackSubmittedV1Schema, type CloudEvent } from '@fieldwise/events';
import { ValidationError } from '@fieldwise/errors';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  EvalCaseSchema,
  type CandidateCase,
  type EvalDeps,
} from '../../domain/index.js';

/**
 * `fieldwise.feedback.submitted.v1` as the eval service reads it: the
 * published schema (rated question and answer, corrected answer, draft
 * edits, the turn's tool calls; all redacted and size-capped by the
 * producer) plus optional extras a producer may add (a 1–5 score, tool
 * call arguments). Unknown extras are ignored, absent ones are fine: the
 * published schema stays the contract.
 */
export const feedbackIntakeSchema = feedbackSubmittedV1Schema.extend({
  score: z.number().int().min(1).max(5).optional(),
  toolCalls: z
    .array(
      z.object({
        name: z.string().min(1).max(100),
        arguments: z.record(z.string(), z.unknown()).default({}),
        status: z
          .enum(['executed', 'pending_confirmation', 'denied', 'failed'])
          .default('executed'),
      }),
    )
    .max(50)
    .default([]),
});

/** A feedback payload as the eval service reads it (see {@link feedbackIntakeSchema}). */
export type FeedbackIntake = z.infer<typeof feedbackIntakeSchema>;

/** A score at or below this (1–5) is negative. */
const LOW_SCORE = 2;

/** Negative feedback: thumbs down, a low score, or a corrected answer. */
export function isNegativeFeedback(feedback: FeedbackIntake): boolean {
  return (
    feedback.rating === 'down' ||
    (feedback.score !== undefined && feedback.score <= LOW_SCORE) ||
    (feedback.correctedAnswer ?? '').trim() !== ''
  );
}

/**
 * The candidate case one negative feedback proposes: the rated question
 * asked as the same user (a seller: the least role that can give feedback),
 * the turn's executed tools as the expected set, the corrected answer (or,
 * without one, the seller's edited draft) as the reference answer, and the
 * draft edits kept on the candidate for the reviewer. Its id derives from the feedback id, so the same feedback
 * always proposes the same case.
 */
export function candidateFromFeedback(
  deps: Pick<EvalDeps, 'now' | 'newId'>,
  feedback: FeedbackIntake,
): CandidateCase {
  const feedbackId = feedback.feedbackId;
  const question =
    feedback.question?.trim() ||
    `(question not carried by the feedback event: conversation ${feedback.conversationId}${feedback.messageId ? `, message ${feedback.messageId}` : ''})`;
  const correctedAnswer = feedback.correctedAnswer?.trim() ?? '';
  const draftEdits = feedback.draftEdits;
  // Without a corrected answer, the seller's edited draft is the best reference.
  const referenceAnswer =
    correctedAnswer !== ''
      ? correctedAnswer
      : draftEdits
          .map((e) => `${e.draftId} ${e.field}: ${e.after}`)
          .join('\n')
          .slice(0, 20_000);
  const executed = feedback.toolCalls.filter((c) => c.status === 'executed');
  const proposedCase = EvalCaseSchema.parse({
    id: `fb-${feedbackId.replace(/[^A-Za-z0-9._:-]/g, '-')}`.slice(0, 128),
    user: {
      userId: feedback.userId.slice(0, 128),
      tenant: feedback.tenant.slice(0, 64),
      role: 'seller',
    },
    request: { message: question.slice(0, 8000) },
    ...(executed.length > 0
      ? {
          expectedTools: {
            match: 'set',
            allowExtra: true,
            calls: executed.slice(0, 20).map((c) => ({ name: c.name })),
          },
        }
      : {}),
    ...(referenceAnswer === '' ? {} : { referenceAnswer }),
    tags: [
      'feedback',
      `rating:${feedback.rating}`,
      ...(correctedAnswer === '' ? [] : ['corrected-answer']),
      ...(draftEdits.length === 0 ? [] : ['draft-edits']),
      ...feedback.reasons.slice(0, 10).map((r) => `reason:${r}`.slice(0, 64)),
    ],
    source: `feedback:${feedbackId}`.slice(0, 200),
  });
  return {
    id: deps.newId('cand'),
    tenant: feedback.tenant,
    feedbackId,
    conversationId: feedback.conversationId,
    messageId: feedback.messageId ?? '',
    userId: feedback.userId,
    question,
    answer: feedback.answer ?? '',
    comment: feedback.comment ?? '',
    correctedAnswer,
    toolCalls: feedback.toolCalls.map((c) => ({
      name: c.name,
      arguments: c.arguments,
      status: c.status,
    })),
    draftEdits: draftEdits.map((e) => ({
      draftId: e.draftId,
      field: e.field,
      before: e.before,
      after: e.after,
    })),
    proposedCase,
    accepted: false,
    createdAt: deps.now().toISOString(),
  };
}

/** What {@link handleFeedbackEvent} did. */
export type FeedbackOutcome =
  'candidate-created' | 'duplicate' | 'not-negative';

/**
 * Handles one feedback event: negative feedback becomes exactly one
 * candidate case (the store keeps one per feedback id, so a redelivered or
 * re-published event changes nothing); positive feedback is ignored. A
 * payload that is not valid feedback is VALIDATION_FAILED (permanent: the
 * consumer dead-letters it).
 */
export async function handleFeedbackEvent(
  deps: Pick<EvalDeps, 'store' | 'now' | 'newId'> & { readonly logger: Logger },
  event: CloudEvent,
): Promise<FeedbackOutcome> {
  const parsed = feedbackIntakeSchema.safeParse(event.data);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((i) => ({
        field: ['data', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    );
  }
  const feedback = parsed.data;
  if (!isNegativeFeedback(feedback)) return 'not-negative';
  const { created, candidate } = await deps.store.saveCandidateCase(
    candidateFromFeedback(deps, feedback),
  );
  deps.logger.info(
    {
      eventId: event.id,
      feedbackId: feedback.feedbackId,
      candidateId: candidate.id,
      created,
    },
    created
      ? 'candidate case created from feedback'
      : 'feedback already had a candidate case',
  );
  return created ? 'candidate-created' : 'duplicate';
}
