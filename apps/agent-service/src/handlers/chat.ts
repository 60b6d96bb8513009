import type { ChatRequest, ChatResponse } from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import type { ServerStreamHandler } from '@fieldwise/grpc';
import { runTurn } from '../domain/loop/run-turn.js';
import type { TurnEvent } from '../domain/loop/turn-events.js';
import {
  encodeActionView,
  encodeCitations,
  encodeModel,
  encodeToolCall,
  encodeToolStatus,
  encodeUsage,
} from './encode.js';
import type { AgentHandlerDeps } from './handler-deps.js';

function toEvent(
  event: Exclude<TurnEvent, { type: 'started' }>,
): ChatResponse['event'] {
  switch (event.type) {
    case 'delta':
      return { $case: 'delta', value: { text: event.text } };
    case 'tool-call':
      return {
        $case: 'toolCall',
        value: {
          id: event.id,
          name: event.name,
          argumentsJson: event.argumentsJson,
        },
      };
    case 'tool-result':
      return {
        $case: 'toolResult',
        value: {
          callId: event.callId,
          name: event.name,
          status: encodeToolStatus(event.status),
          summary: event.summary,
          errorCode: event.errorCode,
          pendingActionId: event.pendingActionId,
        },
      };
    case 'citation':
      return { $case: 'citation', value: { citation: event.citation } };
    case 'confirmation-required':
      return {
        $case: 'confirmationRequired',
        value: encodeActionView(event.action),
      };
    case 'final': {
      const f = event.final;
      return {
        $case: 'final',
        value: {
          conversationId: f.conversationId,
          messageId: f.messageId,
          answer: f.answer,
          citations: encodeCitations(f.citations),
          toolCalls: f.toolCalls.map(encodeToolCall),
          pendingActions: f.pendingActions.map(encodeActionView),
          model: encodeModel(f.model),
          usage: encodeUsage(f.usage),
        },
      };
    }
    case 'error':
      return {
        $case: 'error',
        value: {
          code: event.code,
          message: event.message,
          retryable: event.retryable,
        },
      };
  }
}

/**
 * A draining server aborts the turn with SHUTTING_DOWN, which the model and
 * tools report as CANCELLED; the client must learn that it may retry
 * elsewhere, so the last event says SHUTTING_DOWN, retryable.
 */
function drainedError<E extends TurnEvent>(event: E, signal: AbortSignal): E {
  const reason: unknown = signal.reason;
  if (
    event.type !== 'error' ||
    !(reason instanceof FieldwiseError) ||
    reason.code !== 'SHUTTING_DOWN'
  )
    return event;
  return {
    ...event,
    code: reason.code,
    message: reason.message,
    retryable: true,
  };
}

/**
 * `Chat`: one turn as a server stream. The turn's own failures end the
 * stream with an `error` event (never a status), as the contract says;
 * a refused request (eval run id from a non-eval identity, unknown model)
 * fails the call before any event.
 */
export function chatHandler(
  deps: AgentHandlerDeps,
): ServerStreamHandler<ChatRequest, ChatResponse> {
  return async (request, ctx, send) => {
    if (
      request.evalRunId !== '' &&
      ctx.principal.actor?.purpose !== 'evaluation'
    ) {
      throw new FieldwiseError(
        'PERMISSION_DENIED',
        'eval_run_id is reserved for evaluation runs',
      );
    }
    if (
      request.model !== '' &&
      !deps.models.some((m) => m.ref?.name === request.model)
    ) {
      throw new FieldwiseError(
        'NOT_FOUND',
        `model '${request.model}' was not found`,
      );
    }
    let conversationId = request.conversationId;
    let sequence = 0;
    for await (const event of runTurn(deps.turn, {
      principal: ctx.principal,
      message: request.message,
      ...(request.conversationId !== ''
        ? { conversationId: request.conversationId }
        : {}),
      ...(request.accountId !== ''
        ? { focusAccountId: request.accountId }
        : {}),
      mode: 'stream',
      signal: ctx.signal,
      deadline: ctx.deadline,
      ...(ctx.traceId ? { traceId: ctx.traceId } : {}),
    })) {
      if (event.type === 'started') {
        conversationId = event.conversationId;
        continue;
      }
      send({
        conversationId,
        sequence: ++sequence,
        event: toEvent(drainedError(event, ctx.signal)),
      });
    }
  };
}
