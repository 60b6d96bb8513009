import {
  MessageRole,
  type Citation,
  type ConversationMessage,
  type GetConversationRequest,
  type GetConversationResponse,
  type ListConversationsRequest,
  type ListConversationsResponse,
  type PendingAction,
} from '@fieldwise/contracts';
import { NotFoundError, ValidationError } from '@fieldwise/errors';
import type { CallContext } from '@fieldwise/grpc';
import type { ChatModelInfo } from '@fieldwise/llm';
import type { StoredMessage } from '../adapters/conversation-store/port.js';
import type { ToolCallRecord, TurnUsage } from '../domain/loop/turn-events.js';
import {
  encodeActionRecord,
  encodeModel,
  encodeToolCall,
  encodeUsage,
} from './encode.js';
import type { AgentHandlerDeps } from './handler-deps.js';

interface AssistantMetadata {
  readonly citations?: Citation[];
  readonly toolCalls?: ToolCallRecord[];
  readonly pendingActionIds?: string[];
  readonly model?: ChatModelInfo;
  readonly usage?: TurnUsage;
}

/** `ListConversations` and `GetConversation`: the caller's own only. */
export function conversationHandlers(deps: AgentHandlerDeps) {
  const { store, clock, redact } = deps.turn;

  async function encodeMessage(
    message: StoredMessage,
  ): Promise<ConversationMessage> {
    const meta = message.metadata as AssistantMetadata;
    const actions: PendingAction[] = [];
    for (const id of meta.pendingActionIds ?? []) {
      const action = await store.getPendingAction(id);
      if (action)
        actions.push(
          encodeActionRecord(
            action,
            clock(),
            await redact(action.argumentsJson),
          ),
        );
    }
    return {
      id: message.id,
      role: message.role === 'user' ? MessageRole.USER : MessageRole.ASSISTANT,
      content: message.content,
      createdAt: message.createdAt.toISOString(),
      citations: meta.citations ?? [],
      toolCalls: (meta.toolCalls ?? []).map(encodeToolCall),
      pendingActions: actions,
      model: meta.model ? encodeModel(meta.model) : undefined,
      usage: meta.usage ? encodeUsage(meta.usage) : undefined,
    };
  }

  return {
    async listConversations(
      request: ListConversationsRequest,
      ctx: CallContext,
    ): Promise<ListConversationsResponse> {
      const page = await store.listConversations(
        ctx.principal.tenant,
        ctx.principal.userId,
        {
          pageSize: request.page?.pageSize ?? 20,
          pageToken: request.page?.pageToken ?? '',
        },
      );
      return {
        conversations: page.items.map((c) => ({
          id: c.id,
          title: c.title,
          createdAt: c.createdAt.toISOString(),
          updatedAt: c.updatedAt.toISOString(),
          messageCount: c.messageCount,
        })),
        page: { nextPageToken: page.nextPageToken, totalSize: 0 },
      };
    },
    async getConversation(
      request: GetConversationRequest,
      ctx: CallContext,
    ): Promise<GetConversationResponse> {
      if (request.conversationId.trim() === '')
        throw new ValidationError([
          { field: 'conversation_id', message: 'is required' },
        ]);
      const conversation = await store.getConversation(
        ctx.principal.tenant,
        ctx.principal.userId,
        request.conversationId,
      );
      if (!conversation)
        throw new NotFoundError('conversation', request.conversationId);
      const messages = await store.listMessages(conversation.id);
      return {
        conversation: {
          id: conversation.id,
          title: conversation.title,
          userId: conversation.userId,
          createdAt: conversation.createdAt.toISOString(),
          updatedAt: conversation.updatedAt.toISOString(),
          messages: await Promise.all(messages.map(encodeMessage)),
        },
      };
    },
  };
}
