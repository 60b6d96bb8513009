import { z } from 'zod';

/** Zod schema of a recorded `AgentTurn` (see the domain model for field meanings). */
export const AgentTurnSchema = z.strictObject({
  answer: z.string(),
  toolCalls: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        arguments: z.record(z.string(), z.unknown()).default({}),
        status: z.enum([
          'executed',
          'pending_confirmation',
          'denied',
          'failed',
        ]),
      }),
    )
    .default([]),
  citations: z
    .array(
      z.strictObject({
        documentId: z.string(),
        chunkId: z.string(),
        title: z.string().default(''),
        section: z.string().default(''),
        snippet: z.string(),
      }),
    )
    .default([]),
  retrieved: z
    .array(
      z.strictObject({
        documentId: z.string(),
        chunkId: z.string(),
        text: z.string(),
      }),
    )
    .default([]),
  toolResults: z
    .array(z.strictObject({ name: z.string(), content: z.string() }))
    .default([]),
  latencyMs: z.number().nonnegative(),
  usage: z
    .strictObject({
      inputTokens: z.number().int().nonnegative(),
      outputTokens: z.number().int().nonnegative(),
    })
    .default({ inputTokens: 0, outputTokens: 0 }),
  conversationId: z.string().optional(),
  evidenceGaps: z.array(z.string().min(1)).optional(),
  transcript: z
    .array(
      z.strictObject({
        role: z.enum(['user', 'assistant']),
        content: z.string(),
      }),
    )
    .optional(),
});

/**
 * One line of a recording: the agent's turn for `caseId`, or the error the
 * agent call ended with (`error.code` from the errors catalogue).
 */
export const RecordingLineSchema = z.union([
  AgentTurnSchema.extend({ caseId: z.string().min(1) }),
  z.strictObject({
    caseId: z.string().min(1),
    error: z.strictObject({ code: z.string().min(1), message: z.string() }),
  }),
]);

/** One line of a recording (see {@link RecordingLineSchema}). */
export type RecordingLine = z.infer<typeof RecordingLineSchema>;
