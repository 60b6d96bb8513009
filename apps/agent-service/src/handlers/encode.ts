import {
  PendingActionStatus,
  ToolCallStatus,
  type Citation,
  type ModelRef,
  type PendingAction,
  type ToolCall,
  type Usage,
} from '@fieldwise/contracts';
import type { ChatModelInfo } from '@fieldwise/llm';
import type { PendingActionRecord } from '../adapters/conversation-store/port.js';
import type {
  PendingActionView,
  ToolCallRecord,
  ToolCallStatus as DomainToolStatus,
  TurnUsage,
} from '../domain/loop/turn-events.js';

const ACTION_STATUS: Record<PendingActionView['status'], PendingActionStatus> =
  {
    pending: PendingActionStatus.PENDING,
    // Executing is a confirmed action whose outcome is not known yet: still not executed.
    executing: PendingActionStatus.PENDING,
    executed: PendingActionStatus.EXECUTED,
    rejected: PendingActionStatus.REJECTED,
    expired: PendingActionStatus.EXPIRED,
    failed: PendingActionStatus.FAILED,
  };

const TOOL_STATUS: Record<DomainToolStatus, ToolCallStatus> = {
  executed: ToolCallStatus.EXECUTED,
  pending_confirmation: ToolCallStatus.PENDING_CONFIRMATION,
  denied: ToolCallStatus.DENIED,
  failed: ToolCallStatus.FAILED,
};

/** A domain tool status as the contract's enum. */
export function encodeToolStatus(status: DomainToolStatus): ToolCallStatus {
  return TOOL_STATUS[status];
}

/** A pending action shown during a turn. */
export function encodeActionView(view: PendingActionView): PendingAction {
  return {
    id: view.id,
    tool: view.tool,
    summary: view.summary,
    changes: [...view.changes],
    expiresAt: view.expiresAt.toISOString(),
    status: ACTION_STATUS[view.status],
    conversationId: view.conversationId,
    argumentsJson: view.argumentsJson,
  };
}

/**
 * A stored pending action; a pending one past its expiry reads as EXPIRED.
 * `argumentsJson` must already be redacted by the caller when pending.
 */
export function encodeActionRecord(
  record: PendingActionRecord,
  now: Date,
  argumentsJson: string,
): PendingAction {
  const status =
    record.status === 'pending' && now.getTime() >= record.expiresAt.getTime()
      ? 'expired'
      : record.status;
  return encodeActionView({
    id: record.id,
    tool: record.tool,
    summary: record.summary,
    changes: record.changes,
    expiresAt: record.expiresAt,
    status,
    conversationId: record.conversationId,
    argumentsJson,
  });
}

/** A tool call record of a turn. */
export function encodeToolCall(record: ToolCallRecord): ToolCall {
  return {
    id: record.id,
    name: record.name,
    argumentsJson: record.argumentsJson,
    status: TOOL_STATUS[record.status],
    summary: record.summary,
    errorCode: record.errorCode,
    pendingActionId: record.pendingActionId,
    durationMs: record.durationMs,
  };
}

/** The model that answered. */
export function encodeModel(info: ChatModelInfo): ModelRef {
  return { provider: info.provider, name: info.name, offline: info.offline };
}

/** Token usage of a turn. */
export function encodeUsage(usage: TurnUsage): Usage {
  return {
    promptTokens: usage.inputTokens,
    completionTokens: usage.outputTokens,
    totalTokens: usage.totalTokens,
  };
}

/** Citations pass through unchanged (they are contract-shaped already). */
export function encodeCitations(citations: readonly Citation[]): Citation[] {
  return [...citations];
}
