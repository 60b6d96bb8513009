import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { context } from '@opentelemetry/api';
import { MessageRole, type ConversationMessage } from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import type { AgentCall, AgentClient } from '../../../clients/agent-client.js';
import {
  actionStateSchema,
  citationSchema,
  modelRefSchema,
  toolCallSchema,
  toPublicActionState,
  toPublicCitation,
  toPublicModel,
  toPublicToolCall,
  toPublicUsage,
  usageSchema,
} from '../../../schemas/assistant.js';
import { problemSchema, standardErrors } from '../../../schemas/problem.js';

const listQuery = z
  .object({
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .default(50)
      .describe('Conversations per page (1 to 500)'),
    pageToken: z
      .string()
      .max(1024)
      .optional()
      .describe('`nextPageToken` of the previous page'),
  })
  .strict();

const summarySchema = z.object({
  id: z.string(),
  title: z.string().describe('From the first user message (redacted)'),
  createdAt: z.string(),
  updatedAt: z.string(),
  messageCount: z.number().int(),
});

const listResponse = z.object({
  items: z.array(summarySchema),
  nextPageToken: z
    .string()
    .nullable()
    .describe('Token for the next page; null on the last page'),
  totalSize: z.number().int(),
});

const conversationParams = z.object({
  id: z.string().min(1).max(128).describe('Conversation id'),
});

const messageSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string().describe('As stored: redacted'),
  createdAt: z.string(),
  citations: z.array(citationSchema),
  toolCalls: z.array(toolCallSchema),
  pendingActions: z
    .array(actionStateSchema)
    .describe('Write actions of this answer, with their current status'),
  model: modelRefSchema.optional(),
  usage: usageSchema.optional(),
});

const conversationResponse = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(messageSchema).describe('Oldest first'),
});

/** Options of {@link conversationRoutes}. */
export interface ConversationRouteOptions {
  readonly agent: AgentClient;
}

function toPublicMessage(
  message: ConversationMessage,
): z.infer<typeof messageSchema> {
  return {
    id: message.id,
    role: message.role === MessageRole.USER ? 'user' : 'assistant',
    content: message.content,
    createdAt: message.createdAt,
    citations: message.citations.map(toPublicCitation),
    toolCalls: message.toolCalls.map(toPublicToolCall),
    pendingActions: message.pendingActions.map(toPublicActionState),
    ...(message.model ? { model: toPublicModel(message.model) } : {}),
    ...(message.usage ? { usage: toPublicUsage(message.usage) } : {}),
  };
}

/**
 * `GET /v1/conversations` (the caller's own, most recent first, paged) and
 * `GET /v1/conversations/{id}`. The agent scopes both to the caller: another
 * user's conversation is 404, like an unknown one.
 */
export const conversationRoutes: FastifyPluginCallback<
  ConversationRouteOptions
> = (app, options, done) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const callOf = async (request: FastifyRequest): Promise<AgentCall> => ({
    principalToken: await request.principalToken(),
    context: request.otelContext ?? context.active(),
  });

  typed.get(
    '/conversations',
    {
      schema: {
        summary: "The caller's conversations, most recently updated first",
        tags: ['assistant'],
        querystring: listQuery,
        response: { 200: listResponse, ...standardErrors },
      },
    },
    async (request) => {
      const response = await options.agent.listConversations(
        {
          page: {
            pageSize: request.query.pageSize,
            pageToken: request.query.pageToken ?? '',
          },
        },
        await callOf(request),
      );
      return {
        items: response.conversations.map((c) => ({
          id: c.id,
          title: c.title,
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
          messageCount: c.messageCount,
        })),
        nextPageToken: response.page?.nextPageToken || null,
        totalSize: response.page?.totalSize ?? response.conversations.length,
      };
    },
  );

  typed.get(
    '/conversations/:id',
    {
      schema: {
        summary: 'One of the caller’s conversations with its messages',
        tags: ['assistant'],
        params: conversationParams,
        response: {
          200: conversationResponse,
          ...standardErrors,
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const { conversation } = await options.agent.getConversation(
        { conversationId: request.params.id },
        await callOf(request),
      );
      if (!conversation)
        throw new FieldwiseError(
          'NOT_FOUND',
          `No conversation ${request.params.id}`,
        );
      return {
        id: conversation.id,
        title: conversation.title,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
        messages: conversation.messages.map(toPublicMessage),
      };
    },
  );
  done();
};
