import {
  FeedbackRating,
  type SubmitFeedbackRequest,
  type SubmitFeedbackResponse,
} from '@fieldwise/contracts';
import { FEEDBACK_EVENT_TYPES, TOPICS } from '@fieldwise/events';
import { NotFoundError, ValidationError } from '@fieldwise/errors';
import type { CallContext } from '@fieldwise/grpc';
import { buildFeedbackEvent } from '../domain/feedback/build-feedback-event.js';
import type { AgentHandlerDeps } from './handler-deps.js';

/**
 * `SubmitFeedback`: checks the rated message is the caller's, builds the
 * redacted feedback event from the stored turn and the user's input, and
 * publishes it through the outbox.
 */
export function feedbackHandlers(deps: AgentHandlerDeps) {
  const { store, clock, redact, newId } = deps.turn;
  return {
    async submitFeedback(
      request: SubmitFeedbackRequest,
      ctx: CallContext,
    ): Promise<SubmitFeedbackResponse> {
      if (
        request.rating !== FeedbackRating.POSITIVE &&
        request.rating !== FeedbackRating.NEGATIVE
      )
        throw new ValidationError([
          { field: 'rating', message: 'must be POSITIVE or NEGATIVE' },
        ]);
      const conversation = await store.getConversation(
        ctx.principal.tenant,
        ctx.principal.userId,
        request.conversationId,
      );
      if (!conversation)
        throw new NotFoundError('conversation', request.conversationId);
      const feedbackId = newId();
      const data = await buildFeedbackEvent(
        { redact },
        {
          feedbackId,
          conversationId: conversation.id,
          messageId: request.messageId,
          userId: ctx.principal.userId,
          tenant: ctx.principal.tenant,
          rating: request.rating === FeedbackRating.POSITIVE ? 'up' : 'down',
          comment: request.comment,
          correctedAnswer: request.correctedAnswer,
          draftEdits: request.draftEdits.flatMap((edit) =>
            edit.changes.map((change) => ({
              draftId: edit.draftId,
              field: change.field,
              before: change.before,
              after: change.after,
            })),
          ),
          traceId: ctx.traceId,
        },
        await store.listMessages(conversation.id),
      );
      const receivedAt = clock();
      deps.outbox.append({
        id: feedbackId,
        topic: TOPICS.feedback,
        key: conversation.id,
        type: FEEDBACK_EVENT_TYPES.submitted,
        source: '/fieldwise/agent-service',
        tenant: ctx.principal.tenant,
        principal: ctx.principal.userId,
        data,
      });
      return { feedbackId, receivedAt: receivedAt.toISOString() };
    },
  };
}
