import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { context } from '@opentelemetry/api';
import { FeedbackRating } from '@fieldwise/contracts';
import type { AgentClient } from '../../../clients/agent-client.js';
import { fieldChangeSchema } from '../../../schemas/assistant.js';
import { problemSchema, standardErrors } from '../../../schemas/problem.js';

const id = z.string().min(1).max(128);

const feedbackBody = z
  .object({
    conversationId: id.describe('Conversation of the rated answer'),
    messageId: id.describe('`messageId` of the rated chat answer'),
    rating: z.enum(['up', 'down']),
    comment: z.string().max(4000).optional(),
    correctedAnswer: z
      .string()
      .max(16_000)
      .optional()
      .describe('The answer the user says would have been right'),
    draftEdits: z
      .array(
        z
          .object({
            draftId: id.describe('Email draft or proposal id'),
            changes: z.array(fieldChangeSchema).min(1).max(50),
          })
          .strict(),
      )
      .max(20)
      // The agent keeps at most 50 edited fields per feedback (the event's
      // cap); refusing more here names the field instead of a backend 400.
      .refine(
        (drafts) =>
          drafts.reduce((sum, draft) => sum + draft.changes.length, 0) <= 50,
        { message: 'at most 50 edited fields in all drafts together' },
      )
      .optional()
      .describe('Edits the user made to drafts of this answer'),
  })
  .strict();

const feedbackResponse = z.object({
  feedbackId: z.string(),
  receivedAt: z.string().describe('RFC 3339 UTC'),
});

/** Options of {@link feedbackRoutes}. */
export interface FeedbackRouteOptions {
  readonly agent: AgentClient;
}

/**
 * `POST /v1/feedback`: thumbs up or down on one answer, with an optional
 * comment, corrected answer and draft edits. The agent stores it and
 * publishes it on `fieldwise.feedback.v1` (negative feedback becomes a
 * candidate eval case); accepted is 202 with the feedback id. Free text goes
 * through the input guardrails (PII redacted before it leaves the gateway).
 */
export const feedbackRoutes: FastifyPluginCallback<FeedbackRouteOptions> = (
  app,
  options,
  done,
) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/feedback',
    {
      config: { guardrails: { body: ['comment', 'correctedAnswer'] } },
      schema: {
        summary: 'Rate an answer',
        tags: ['assistant'],
        body: feedbackBody,
        response: {
          202: feedbackResponse,
          ...standardErrors,
          404: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const response = await options.agent.submitFeedback(
        {
          conversationId: body.conversationId,
          messageId: body.messageId,
          rating:
            body.rating === 'up'
              ? FeedbackRating.POSITIVE
              : FeedbackRating.NEGATIVE,
          comment: body.comment ?? '',
          correctedAnswer: body.correctedAnswer ?? '',
          draftEdits: (body.draftEdits ?? []).map((edit) => ({
            draftId: edit.draftId,
            changes: edit.changes,
          })),
        },
        {
          principalToken: await request.principalToken(),
          context: request.otelContext ?? context.active(),
        },
      );
      return reply.code(202).send({
        feedbackId: response.feedbackId,
        receivedAt: response.receivedAt,
      });
    },
  );
  done();
};
