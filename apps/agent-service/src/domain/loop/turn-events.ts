import type { Citation, FieldChange } from '@fieldwise/contracts';
import type { ChatModelInfo } from '@fieldwise/llm';

/** What became of a tool call, as reported to the user. */
export type ToolCallStatus =
  'executed' | 'pending_confirmation' | 'denied' | 'failed';

/** A pending action as shown to the user. */
export interface PendingActionView {
  readonly id: string;
  readonly tool: string;
  readonly summary: string;
  readonly changes: readonly FieldChange[];
  readonly expiresAt: Date;
  readonly status:
    'pending' | 'executing' | 'executed' | 'rejected' | 'expired' | 'failed';
  readonly conversationId: string;
  readonly argumentsJson: string;
}

/** One tool call of the turn, as it ended. */
export interface ToolCallRecord {
  readonly id: string;
  readonly name: string;
  /** Redacted arguments JSON. */
  readonly argumentsJson: string;
  readonly status: ToolCallStatus;
  readonly summary: string;
  readonly errorCode: string;
  readonly pendingActionId: string;
  readonly durationMs: number;
}

/** Token usage of the turn, summed over its model calls. */
export interface TurnUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/** The complete answer of a turn. */
export interface FinalTurn {
  readonly conversationId: string;
  readonly messageId: string;
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly toolCalls: readonly ToolCallRecord[];
  readonly pendingActions: readonly PendingActionView[];
  readonly model: ChatModelInfo;
  readonly usage: TurnUsage;
}

/**
 * One event of a turn, in order. A turn ends with exactly one `final` or
 * one `error` event; `started` comes first unless the request was invalid.
 */
export type TurnEvent =
  /** First event once the conversation is known (new or continued); not user-visible. */
  | { readonly type: 'started'; readonly conversationId: string }
  | { readonly type: 'delta'; readonly text: string }
  | {
      readonly type: 'tool-call';
      readonly id: string;
      readonly name: string;
      readonly argumentsJson: string;
    }
  | {
      readonly type: 'tool-result';
      readonly callId: string;
      readonly name: string;
      readonly status: ToolCallStatus;
      readonly summary: string;
      readonly errorCode: string;
      readonly pendingActionId: string;
    }
  | { readonly type: 'citation'; readonly citation: Citation }
  | {
      readonly type: 'confirmation-required';
      readonly action: PendingActionView;
    }
  | { readonly type: 'final'; readonly final: FinalTurn }
  | {
      readonly type: 'error';
      readonly code: string;
      readonly message: string;
      readonly retryable: boolean;
    };
