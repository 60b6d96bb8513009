import type {
  ConfirmActionRequest,
  ConfirmActionResponse,
  RejectActionRequest,
  RejectActionResponse,
} from '@fieldwise/contracts';
import { ValidationError } from '@fieldwise/errors';
import type { CallContext } from '@fieldwise/grpc';
import {
  confirmAction,
  rejectAction,
} from '../domain/actions/pending-actions.js';
import { encodeActionRecord } from './encode.js';
import type { AgentHandlerDeps } from './handler-deps.js';

function requireId(id: string): string {
  if (id.trim() === '')
    throw new ValidationError([{ field: 'action_id', message: 'is required' }]);
  return id.trim();
}

/** `ConfirmAction` and `RejectAction`: thin over the action executor. */
export function actionHandlers(deps: AgentHandlerDeps) {
  const { actions, clock, redact } = deps.turn;
  return {
    async confirmAction(
      request: ConfirmActionRequest,
      ctx: CallContext,
    ): Promise<ConfirmActionResponse> {
      const started = performance.now();
      const outcome = await confirmAction(
        actions,
        ctx.principal,
        requireId(request.actionId),
        ctx,
      );
      deps.turn.audit?.({
        principal: ctx.principal,
        conversationId: outcome.action.conversationId,
        tool: outcome.action.tool,
        writes: true,
        status: outcome.errorCode === '' ? 'executed' : 'failed',
        argumentsJson: outcome.action.argumentsJson,
        ...(outcome.resultJson !== ''
          ? { resultJson: outcome.resultJson }
          : {}),
        ...(outcome.errorCode !== '' ? { errorCode: outcome.errorCode } : {}),
        confirmationId: outcome.action.id,
        latencyMs: Math.round(performance.now() - started),
        ...(ctx.traceId ? { traceId: ctx.traceId } : {}),
      });
      return {
        action: encodeActionRecord(
          outcome.action,
          clock(),
          outcome.action.argumentsJson,
        ),
        resultJson: outcome.resultJson,
        errorCode: outcome.errorCode,
      };
    },
    async rejectAction(
      request: RejectActionRequest,
      ctx: CallContext,
    ): Promise<RejectActionResponse> {
      const action = await rejectAction(
        actions,
        ctx.principal,
        requireId(request.actionId),
      );
      return {
        action: encodeActionRecord(
          action,
          clock(),
          await redact(action.argumentsJson),
        ),
      };
    },
  };
}
