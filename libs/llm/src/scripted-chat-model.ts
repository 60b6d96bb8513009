import { FieldwiseError } from '@fieldwise/errors';
import type {
  ChatModel,
  ChatModelCallOptions,
  ChatModelEvent,
  ChatModelInfo,
  ChatModelRequest,
  ChatModelResult,
} from './chat-model.js';
import { collectChatModelResult } from './collect-result.js';
import { validateChatModelRequest } from './request-validation.js';

/** One scripted answer: its events, or a function of the request giving them. */
export type ScriptedTurn =
  | readonly ChatModelEvent[]
  | ((request: ChatModelRequest) => readonly ChatModelEvent[]);

/**
 * An in-process `ChatModel` that replays scripted turns, one per call, for
 * agent tests and benchmarks that need no HTTP. It validates requests like
 * the real adapter, records them, and appends a `finish` event (`tool_calls`
 * or `stop`, zero usage) to a turn that has none.
 */
export interface ScriptedChatModel extends ChatModel {
  /** Requests received so far, in order. */
  readonly requests: readonly ChatModelRequest[];
  /** Turns queued and not yet used. */
  readonly pending: number;
  enqueue(...turns: readonly ScriptedTurn[]): void;
  /** Forgets the recorded requests (long benchmark runs). */
  clearRequests(): void;
}

/**
 * Creates a {@link ScriptedChatModel}. A call with no turn queued fails with
 * `INTERNAL`; a call whose signal already fired fails with `CANCELLED`.
 */
export function createScriptedChatModel(
  info: Partial<ChatModelInfo> = {},
): ScriptedChatModel {
  const queue: ScriptedTurn[] = [];
  const requests: ChatModelRequest[] = [];
  const model: ScriptedChatModel = {
    info: Object.freeze({
      provider: info.provider ?? 'openai-compatible',
      name: info.name ?? 'scripted-model',
      offline: info.offline ?? false,
    }),
    get requests() {
      return requests;
    },
    get pending() {
      return queue.length;
    },
    enqueue: (...turns) => {
      queue.push(...turns);
    },
    clearRequests: () => {
      requests.length = 0;
    },
    // An async generator like the real adapter's, though it never awaits.
    // eslint-disable-next-line @typescript-eslint/require-await
    async *stream(
      request: ChatModelRequest,
      options: ChatModelCallOptions = {},
    ): AsyncGenerator<ChatModelEvent, void, undefined> {
      validateChatModelRequest(request);
      requests.push(request);
      const turn = queue.shift();
      if (turn === undefined) {
        throw new FieldwiseError('INTERNAL', 'no scripted turn queued');
      }
      const events = typeof turn === 'function' ? turn(request) : turn;
      let finished = false;
      for (const event of events) {
        if (options.signal?.aborted) {
          throw new FieldwiseError('CANCELLED', 'The model call was cancelled');
        }
        finished ||= event.type === 'finish';
        yield event;
      }
      if (!finished) {
        const calls = events.some(
          (e) => e.type === 'tool-call' || e.type === 'tool-call-error',
        );
        yield {
          type: 'finish',
          reason: calls ? 'tool_calls' : 'stop',
          usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        };
      }
    },
    complete(
      request: ChatModelRequest,
      options: ChatModelCallOptions = {},
    ): Promise<ChatModelResult> {
      return collectChatModelResult(model.stream(request, options));
    },
  };
  return model;
}
