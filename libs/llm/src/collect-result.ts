import { FieldwiseError } from '@fieldwise/errors';
import type {
  ChatModelEvent,
  ChatModelResult,
  ChatToolCall,
  ChatToolCallError,
  FinishEvent,
  ToolCallErrorEvent,
  ToolCallEvent,
} from './chat-model.js';

/** Assembles a result from an answer's text, its tool-call events and its finish. */
export function buildChatModelResult(
  text: string,
  toolEvents: readonly (ToolCallEvent | ToolCallErrorEvent)[],
  finish: FinishEvent,
): ChatModelResult {
  const toolCalls: ChatToolCall[] = [];
  const toolCallErrors: ChatToolCallError[] = [];
  for (const event of toolEvents) {
    if (event.type === 'tool-call') {
      const { type: _type, ...call } = event;
      toolCalls.push(call);
    } else {
      const { type: _type, ...failure } = event;
      toolCallErrors.push(failure);
    }
  }
  return {
    text,
    toolCalls,
    toolCallErrors,
    finishReason: finish.reason,
    usage: finish.usage,
  };
}

/**
 * Drains a `ChatModel.stream` into the result `complete` would give, so a
 * model implementation can write `complete` on top of `stream`. Fails with
 * `INTERNAL` when the stream ends without its `finish` event (a broken
 * implementation), and passes the stream's own errors through.
 */
export async function collectChatModelResult(
  events: AsyncIterable<ChatModelEvent>,
): Promise<ChatModelResult> {
  const text: string[] = [];
  const toolEvents: (ToolCallEvent | ToolCallErrorEvent)[] = [];
  let finish: FinishEvent | undefined;
  for await (const event of events) {
    switch (event.type) {
      case 'text-delta':
        text.push(event.text);
        break;
      case 'tool-call':
      case 'tool-call-error':
        toolEvents.push(event);
        break;
      case 'finish':
        finish = event;
        break;
    }
  }
  if (finish === undefined) {
    throw new FieldwiseError(
      'INTERNAL',
      'the model stream ended without a finish event',
    );
  }
  return buildChatModelResult(text.join(''), toolEvents, finish);
}
