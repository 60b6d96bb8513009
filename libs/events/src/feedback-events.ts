import { z } from 'zod';

/** The feedback event types, versioned in the type. */
export const FEEDBACK_EVENT_TYPES = {
  submitted: 'fieldwise.feedback.submitted.v1',
} as const;

/** `fieldwise.feedback.submitted.v1`: a user rated an answer; the comment is redacted upstream. */
export const feedbackSubmittedV1Schema = z.object({
  feedbackId: z.string().min(1).max(128),
  conversationId: z.string().min(1).max(128),
  messageId: z.string().min(1).max(128).optional(),
  userId: z.string().min(1).max(256),
  tenant: z.string().min(1).max(128),
  rating: z.enum(['up', 'down']),
  reasons: z.array(z.string().min(1).max(64)).max(16).default([]),
  comment: z.string().max(2000).optional(),
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
