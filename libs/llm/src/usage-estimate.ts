import type { ChatModelRequest, ChatUsage } from './chat-model.js';

/** English text averages about four characters per token in GPT tokenizers. */
const CHARS_PER_TOKEN = 4;
/** Role markers and separators the chat format adds to every message. */
const TOKENS_PER_MESSAGE = 4;

function tokensOf(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Estimates the prompt tokens of a request (messages, tool calls and tool
 * schemas) from text length, for servers that report no usage. Good for
 * budgets and dashboards, not for billing.
 */
export function estimateInputTokens(request: ChatModelRequest): number {
  let tokens = 3;
  for (const message of request.messages) {
    tokens += TOKENS_PER_MESSAGE;
    if (message.role === 'assistant') {
      tokens += tokensOf(message.content ?? '');
      for (const call of message.toolCalls ?? []) {
        tokens += tokensOf(call.name);
        tokens += tokensOf(
          call.rawArguments ?? JSON.stringify(call.arguments ?? {}),
        );
      }
    } else {
      tokens += tokensOf(message.content);
    }
  }
  for (const tool of request.tools ?? []) {
    tokens += tokensOf(
      tool.name + tool.description + JSON.stringify(tool.parameters),
    );
  }
  return tokens;
}

/** Estimates generated tokens from the answer text and tool-call texts. */
export function estimateOutputTokens(parts: readonly string[]): number {
  return parts.reduce((sum, part) => sum + tokensOf(part), 0);
}

/** Builds a usage record, flagged `estimated` when it was not reported. */
export function chatUsage(
  inputTokens: number,
  outputTokens: number,
  estimated: boolean,
): ChatUsage {
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    ...(estimated ? { estimated: true } : {}),
  };
}
