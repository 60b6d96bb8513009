import { z } from 'zod';
import {
  PendingActionStatus,
  ToolCallStatus,
  type Citation,
  type FieldChange,
  type FinalAnswer,
  type ModelRef,
  type PendingAction,
  type ToolCall,
  type Usage,
} from '@fieldwise/contracts';

// The public shapes of the assistant API (DESIGN "Public API essentials")
// and their conversion from the agent's gRPC messages. Routes declare these
// as response schemas, so the OpenAPI document shows exactly what is sent.

export const citationSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  section: z.string().describe('Heading path of the cited chunk'),
  snippet: z.string().describe('Quoted text of the cited chunk'),
});

export const TOOL_CALL_STATUSES = [
  'executed',
  'pending_confirmation',
  'denied',
  'failed',
] as const;

export const toolCallSchema = z.object({
  name: z.string(),
  arguments: z
    .record(z.string(), z.unknown())
    .describe('Tool arguments (redacted by the agent)'),
  status: z.enum(TOOL_CALL_STATUSES),
});

export const fieldChangeSchema = z.object({
  field: z.string(),
  before: z.string(),
  after: z.string(),
});

export const PENDING_ACTION_STATUSES = [
  'pending',
  'executed',
  'rejected',
  'expired',
  'failed',
] as const;

export const pendingActionSchema = z.object({
  id: z.string().describe('Confirm or reject it at /v1/actions/{id}/…'),
  tool: z.string(),
  summary: z.string(),
  changes: z.array(fieldChangeSchema),
  expiresAt: z.string().describe('RFC 3339 UTC'),
});

/** A pending action with its current state (action decisions, stored conversations). */
export const actionStateSchema = pendingActionSchema.extend({
  status: z.enum(PENDING_ACTION_STATUSES),
  conversationId: z.string(),
});

export const modelRefSchema = z.object({
  provider: z.string().describe('"offline" for the deterministic planner'),
  name: z.string(),
  offline: z.boolean(),
});

export const usageSchema = z.object({
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  totalTokens: z.number().int(),
});

/** The body of `POST /v1/chat` as JSON, and the SSE `final` event. */
export const chatAnswerSchema = z.object({
  conversationId: z.string(),
  messageId: z
    .string()
    .describe('Id of the assistant message, for POST /v1/feedback'),
  answer: z.string(),
  citations: z.array(citationSchema),
  toolCalls: z.array(toolCallSchema),
  pendingActions: z.array(pendingActionSchema),
  model: modelRefSchema,
  usage: usageSchema,
});

export type PublicCitation = z.infer<typeof citationSchema>;
export type PublicToolCall = z.infer<typeof toolCallSchema>;
export type PublicPendingAction = z.infer<typeof pendingActionSchema>;
export type PublicActionState = z.infer<typeof actionStateSchema>;
export type ChatAnswer = z.infer<typeof chatAnswerSchema>;

const TOOL_STATUS: Record<number, PublicToolCall['status']> = {
  [ToolCallStatus.EXECUTED]: 'executed',
  [ToolCallStatus.PENDING_CONFIRMATION]: 'pending_confirmation',
  [ToolCallStatus.DENIED]: 'denied',
  [ToolCallStatus.FAILED]: 'failed',
};

const ACTION_STATUS: Record<number, PublicActionState['status']> = {
  [PendingActionStatus.PENDING]: 'pending',
  [PendingActionStatus.EXECUTED]: 'executed',
  [PendingActionStatus.REJECTED]: 'rejected',
  [PendingActionStatus.EXPIRED]: 'expired',
  [PendingActionStatus.FAILED]: 'failed',
};

/** The public name of a tool call status; an unknown one is reported as failed. */
export function toolCallStatusName(
  status: ToolCallStatus,
): PublicToolCall['status'] {
  return TOOL_STATUS[status] ?? 'failed';
}

/** Parses a `*_json` argument object; anything but an object becomes `{}`. */
export function parseJsonObject(json: string): Record<string, unknown> {
  if (json === '') return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function toPublicCitation(citation: Citation): PublicCitation {
  return {
    documentId: citation.documentId,
    title: citation.title,
    section: citation.sectionPath,
    snippet: citation.snippet,
  };
}

export function toPublicToolCall(call: ToolCall): PublicToolCall {
  return {
    name: call.name,
    arguments: parseJsonObject(call.argumentsJson),
    status: toolCallStatusName(call.status),
  };
}

function toChange(change: FieldChange): z.infer<typeof fieldChangeSchema> {
  return { field: change.field, before: change.before, after: change.after };
}

export function toPublicPendingAction(
  action: PendingAction,
): PublicPendingAction {
  return {
    id: action.id,
    tool: action.tool,
    summary: action.summary,
    changes: action.changes.map(toChange),
    expiresAt: action.expiresAt,
  };
}

export function toPublicActionState(action: PendingAction): PublicActionState {
  return {
    ...toPublicPendingAction(action),
    status: ACTION_STATUS[action.status] ?? 'failed',
    conversationId: action.conversationId,
  };
}

export function toPublicModel(
  model: ModelRef | undefined,
): z.infer<typeof modelRefSchema> {
  return {
    provider: model?.provider ?? '',
    name: model?.name ?? '',
    offline: model?.offline ?? false,
  };
}

export function toPublicUsage(
  usage: Usage | undefined,
): z.infer<typeof usageSchema> {
  return {
    promptTokens: usage?.promptTokens ?? 0,
    completionTokens: usage?.completionTokens ?? 0,
    totalTokens: usage?.totalTokens ?? 0,
  };
}

/** The public chat answer of a turn's `final` event. */
export function toChatAnswer(final: FinalAnswer): ChatAnswer {
  return {
    conversationId: final.conversationId,
    messageId: final.messageId,
    answer: final.answer,
    citations: final.citations.map(toPublicCitation),
    toolCalls: final.toolCalls.map(toPublicToolCall),
    pendingActions: final.pendingActions.map(toPublicPendingAction),
    model: toPublicModel(final.model),
    usage: toPublicUsage(final.usage),
  };
}

/** Tokens a turn spent, for the token budget: the total, else its parts. */
export function tokensOf(usage: Usage | undefined): number {
  if (!usage) return 0;
  return usage.totalTokens > 0
    ? usage.totalTokens
    : usage.promptTokens + usage.completionTokens;
}
