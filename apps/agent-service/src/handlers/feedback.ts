import {
  FeedbackRating,
  type SubmitFeedbackRequest,
  type SubmitFeedbackResponse,
} from '@fieldwise/contracts';
import {
  FEEDBACK_EVENT_TYPES,
  TOPICS,
  type FeedbackSubmittedV1,
} from '@fieldwise/events';
import { NotFoundError, ValidationError } from '@fieldwise/errors';
import type { CallContext } from '@fieldwise/grpc';
import type { AgentHandlerDeps } from './handler-deps.js';

/** `SubmitFeedback`: validates ownership, redacts the comment, publishes through the outbox. */
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
      if (request.comment.length > 4000)
        throw new ValidationError([
          { field: 'comment', message: 'at most 4000 characters' },
        ]);
      const conversation = await store.getConversation(
        ctx.principal.tenant,
        ctx.principal.userId,
        request.conversationId,
      );
      if (!conversation)
        throw new NotFoundError('conversation', request.conversationId);
      const messages = await store.listMessages(conversation.id);
      const rated = messages.find(
        (m) => m.id === request.messageId && m.role === 'assistant',
      );
      if (!rated) throw new NotFoundError('message', request.messageId);
      const model = rated.metadata['model'] as
        { provider?: string; name?: string } | undefined;
      const comment =
        request.comment === ''
          ? undefined
          : (await redact(request.comment)).slice(0, 2000);
      const feedbackId = newId();
      const data: FeedbackSubmittedV1 = {
        feedbackId,
        conversationId: conversation.id,
        messageId: rated.id,
        userId: ctx.principal.userId,
        tenant: ctx.principal.tenant,
        rating: request.rating === FeedbackRating.POSITIVE ? 'up' : 'down',
        reasons: [],
        ...(comment !== undefined ? { comment } : {}),
        ...(ctx.traceId ? { traceId: ctx.traceId } : {}),
        ...(model?.provider && model.name
          ? { model: { provider: model.provider, name: model.name } }
          : {}),
      };
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
