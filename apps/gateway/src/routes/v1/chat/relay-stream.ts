import type { ChatResponse, FinalAnswer } from '@fieldwise/contracts';
import { FieldwiseError, isErrorCode } from '@fieldwise/errors';
import type { OutputStreamWindow } from '../../../guardrails/stream-window.js';
import {
  parseJsonObject,
  toChatAnswer,
  toolCallStatusName,
  toPublicCitation,
  toPublicPendingAction,
} from '../../../schemas/assistant.js';
import type { EventStream } from './event-stream.js';

/** Codes a client may retry the same request after. */
const RETRYABLE = new Set<string>([
  'DEPENDENCY_UNAVAILABLE',
  'SHUTTING_DOWN',
  'DEADLINE_EXCEEDED',
  'RATE_LIMITED',
]);

/** Whether repeating the request later may succeed. */
export function isRetryableError(error: unknown): boolean {
  return error instanceof FieldwiseError && RETRYABLE.has(error.code);
}

/** What the relay needs: the turn's events, the guard, the client stream. */
export interface RelayDeps {
  readonly events: AsyncIterable<ChatResponse>;
  readonly guard: OutputStreamWindow;
  readonly stream: EventStream;
  /** Sends an `error` event for `error` (problem+json shape plus `retryable`). */
  readonly sendError: (error: unknown, retryable: boolean) => void;
  /** Charges the turn's usage to the token budget before `final` is sent. */
  readonly charge: (final: FinalAnswer) => Promise<void>;
}

/** How the relayed turn ended, for audit and logs. */
export interface RelayOutcome {
  /** The catalogue code of the `error` event sent, if one was. */
  readonly errorCode?: string;
  /** True when the stream ended with `final`. */
  readonly completed: boolean;
}

/** The agent's `error` event as a typed error (unknown codes are INTERNAL). */
export function agentFailure(event: {
  code: string;
  message: string;
}): FieldwiseError {
  return new FieldwiseError(
    isErrorCode(event.code) ? event.code : 'INTERNAL',
    event.message || 'The turn failed',
  );
}

/**
 * Relays one chat turn to the client as SSE. Answer text goes through the
 * output guard in windows: only checked text is sent as `delta`, and the
 * `final` answer is exactly the text the client received. A block stops the
 * turn (the agent call is cancelled by leaving the loop) with an `error`
 * event GUARDRAIL_BLOCKED. Tool calls, results, citations and confirmation
 * requests pass through in their public shape. The stream ends with exactly
 * one `final` or one `error`, unless the client left or the stream was
 * closed from outside (gateway shutdown), in which case nothing more is sent.
 */
export async function relayChatStream(deps: RelayDeps): Promise<RelayOutcome> {
  const { guard, stream } = deps;
  let sawDelta = false;
  let outcome: RelayOutcome | undefined;
  const fail = (error: unknown, retryable: boolean): RelayOutcome => {
    const code = error instanceof FieldwiseError ? error.code : 'INTERNAL';
    if (!stream.closed) deps.sendError(error, retryable);
    return { errorCode: code, completed: false };
  };
  const blocked = (): RelayOutcome =>
    fail(
      new FieldwiseError(
        'GUARDRAIL_BLOCKED',
        'The answer was stopped by an output guardrail',
        { context: { stage: 'output' } },
      ),
      false,
    );
  const sendText = (text: string): void => {
    if (text !== '') stream.send('delta', { text });
  };

  try {
    for await (const message of deps.events) {
      if (stream.closed) break;
      const event = message.event;
      if (!event) continue;
      switch (event.$case) {
        case 'delta': {
          sawDelta = true;
          const step = await guard.push(event.value.text);
          sendText(step.text);
          if (step.blocked) return (outcome = blocked());
          break;
        }
        case 'toolCall':
          stream.send('tool_call', {
            id: event.value.id,
            name: event.value.name,
            arguments: parseJsonObject(event.value.argumentsJson),
          });
          break;
        case 'toolResult':
          stream.send('tool_result', {
            callId: event.value.callId,
            name: event.value.name,
            status: toolCallStatusName(event.value.status),
            summary: event.value.summary,
            ...(event.value.errorCode
              ? { errorCode: event.value.errorCode }
              : {}),
            ...(event.value.pendingActionId
              ? { pendingActionId: event.value.pendingActionId }
              : {}),
          });
          break;
        case 'citation':
          if (event.value.citation)
            stream.send('citation', toPublicCitation(event.value.citation));
          break;
        case 'confirmationRequired':
          stream.send(
            'confirmation_required',
            toPublicPendingAction(event.value),
          );
          break;
        case 'final': {
          // An agent that streamed no deltas still has its answer checked,
          // and streamed, through the same windows.
          if (!sawDelta) {
            const step = await guard.push(event.value.answer);
            sendText(step.text);
            if (step.blocked) return (outcome = blocked());
          }
          const tail = await guard.end();
          if (tail.blocked) return (outcome = blocked());
          sendText(tail.text);
          await deps.charge(event.value);
          stream.send('final', {
            ...toChatAnswer(event.value),
            answer: guard.released,
          });
          return (outcome = { completed: true });
        }
        case 'error':
          return (outcome = fail(
            agentFailure(event.value),
            event.value.retryable,
          ));
      }
    }
    if (stream.closed) return (outcome = { completed: false });
    return (outcome = fail(
      new FieldwiseError(
        'INTERNAL',
        'The agent ended the turn without an answer',
      ),
      true,
    ));
  } catch (error) {
    if (stream.closed) return (outcome = { completed: false });
    return (outcome = fail(error, isRetryableError(error)));
  } finally {
    // Client gone, gateway closing or an error: still record what the
    // checks saw of the answer.
    if (!outcome?.completed) await guard.abandon();
  }
}
