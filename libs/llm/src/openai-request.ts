import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type {
  ChatFinishReason,
  ChatMessage,
  ChatModelProvider,
  ChatModelRequest,
  ChatToolChoice,
} from './chat-model.js';

/** The request body fields common to streaming and non-streaming calls. */
export type OpenAIRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream'>;

function toMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return {
        role: 'tool',
        tool_call_id: message.toolCallId,
        content: message.content,
      };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      return {
        role: 'assistant',
        content: message.content ?? null,
        ...(calls.length > 0
          ? {
              tool_calls: calls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: {
                  name: call.name,
                  arguments:
                    call.rawArguments ?? JSON.stringify(call.arguments ?? {}),
                },
              })),
            }
          : {}),
      };
    }
  }
}

function toToolChoice(choice: ChatToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string'
    ? choice
    : { type: 'function', function: { name: choice.name } };
}

/**
 * Builds the chat-completions body for a validated request. OpenAI and Azure
 * get `max_completion_tokens` (their reasoning models refuse `max_tokens`);
 * OpenAI-compatible servers get `max_tokens`, which they all understand.
 */
export function toOpenAIRequestBody(
  request: ChatModelRequest,
  model: string,
  provider: ChatModelProvider,
): OpenAIRequestBody {
  const tools: ChatCompletionTool[] | undefined = request.tools?.map(
    (tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        description: tool.description,
        parameters: { ...tool.parameters },
      },
    }),
  );
  const body: OpenAIRequestBody = {
    model,
    messages: request.messages.map(toMessage),
  };
  if (tools !== undefined && tools.length > 0) body.tools = tools;
  if (request.toolChoice !== undefined && body.tools !== undefined) {
    body.tool_choice = toToolChoice(request.toolChoice);
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) {
    if (provider === 'openai-compatible') body.max_tokens = request.maxTokens;
    else body.max_completion_tokens = request.maxTokens;
  }
  return body;
}

/**
 * Normalizes a provider's finish reason. A server that stopped with tool
 * calls but said `stop` (or nothing), as some compatible servers do, is
 * reported as `tool_calls` so the caller runs the tools.
 */
export function normalizeFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): ChatFinishReason {
  if (hasToolCalls && (reason === 'stop' || reason == null))
    return 'tool_calls';
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}
