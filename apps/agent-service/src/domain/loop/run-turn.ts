import type { Authorizer } from '@fieldwise/authz';
import { FieldwiseError, toFieldwiseError } from '@fieldwise/errors';
import type { GuardrailPipeline } from '@fieldwise/guardrails';
import type {
  AssistantToolCall,
  ChatMessage,
  ChatModel,
  ChatModelResult,
  ChatToolCall,
  ChatToolCallError,
  ChatToolChoice,
} from '@fieldwise/llm';
import type { Principal } from '@fieldwise/principal';
import type { Logger } from 'pino';
import type {
  ConversationRecord,
  ConversationStore,
} from '../../adapters/conversation-store/port.js';
import {
  createPendingAction,
  type ActionDeps,
} from '../actions/pending-actions.js';
import { chatToolOf, type ToolRegistry } from '../tools/registry.js';
import type { DownstreamCall } from '../tools/ports.js';
import type { RetrievedChunk, ToolDeps } from '../tools/tool.js';
import { executeToolCall } from '../tools/tool-executor.js';
import { checkCitations } from './citations.js';
import { scanToolResult } from './content-scan.js';
import { loadHistory } from './history.js';
import { buildSystemPrompt, newCanary } from './system-prompt.js';
import type {
  FinalTurn,
  PendingActionView,
  ToolCallRecord,
  ToolCallStatus,
  TurnEvent,
} from './turn-events.js';
import { wrapToolData } from './untrusted-data.js';

/** Limits of one turn. */
export interface TurnLimits {
  /** Tool calls per turn; calls past it get a RATE_LIMITED result. */
  readonly maxToolCalls: number;
  /** Model calls per turn; the last one may not call tools. */
  readonly maxModelCalls: number;
  readonly toolTimeoutMs: number;
  readonly contextBudgetTokens: number;
  readonly keepRecentMessages: number;
}

/** A tool call as recorded on the audit stream (no payloads). */
export interface ToolAuditRecord {
  readonly principal: Principal;
  readonly conversationId: string;
  readonly tool: string;
  readonly writes: boolean;
  readonly status: ToolCallStatus;
  readonly argumentsJson: string;
  /**
   * `argumentsJson` already passed through the turn's redactor, when the
   * caller has it: the recorder digests it instead of redacting again.
   */
  readonly redactedArgumentsJson?: string;
  readonly resultJson?: string;
  readonly errorCode?: string;
  readonly confirmationId?: string;
  readonly latencyMs: number;
  /** Trace of the turn, when traced. */
  readonly traceId?: string;
}

/** What a turn needs. */
export interface TurnDeps {
  readonly model: ChatModel;
  readonly tools: ToolRegistry;
  readonly toolDeps: ToolDeps;
  readonly authorizer: Pick<Authorizer, 'canUseTool'>;
  readonly guardrails: GuardrailPipeline;
  readonly store: ConversationStore;
  readonly actions: ActionDeps;
  /** The one redaction path for stored text. */
  readonly redact: (text: string) => Promise<string>;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly limits: TurnLimits;
  readonly logger: Logger;
  /**
   * Runs `fn` with the turn's end-user call in scope, around every model
   * call (and every step of a streamed one): a model that looks things up
   * itself, like the offline planner's entity resolver, does so as that
   * user. Default: runs `fn` as is.
   */
  readonly scope?: <T>(call: DownstreamCall, fn: () => T) => T;
  /** Receives every tool call (audit stream); must not throw. */
  readonly audit?: (record: ToolAuditRecord) => void;
}

/** One user turn. */
export interface TurnInput {
  readonly principal: Principal;
  readonly message: string;
  /** Empty starts a new conversation. */
  readonly conversationId?: string;
  readonly focusAccountId?: string;
  /** `stream` forwards text deltas as they arrive; `complete` asks the model for whole answers. */
  readonly mode: 'stream' | 'complete';
  readonly signal: AbortSignal;
  readonly deadline: Date;
  /** Trace id of the incoming call, for audit events. */
  readonly traceId?: string;
}

const MAX_MESSAGE = 8000;

function statusOf(
  outcome: 'executed' | 'proposed' | 'denied' | 'failed',
): ToolCallStatus {
  return outcome === 'proposed' ? 'pending_confirmation' : outcome;
}

async function openConversation(
  deps: TurnDeps,
  input: TurnInput,
  redactedMessage: string,
): Promise<ConversationRecord> {
  const { principal } = input;
  if (input.conversationId) {
    const found = await deps.store.getConversation(
      principal.tenant,
      principal.userId,
      input.conversationId,
    );
    if (!found)
      throw new FieldwiseError(
        'NOT_FOUND',
        `conversation '${input.conversationId}' was not found`,
      );
    return found;
  }
  const now = deps.clock();
  const title = redactedMessage.slice(0, 80);
  const record: ConversationRecord = {
    id: deps.newId(),
    tenant: principal.tenant,
    userId: principal.userId,
    title,
    createdAt: now,
    updatedAt: now,
    messageCount: 0,
    summary: '',
    summarizedThrough: 0,
  };
  await deps.store.createConversation(record);
  return record;
}

/**
 * Holds back the last `canary.length - 1` characters of streamed text so a
 * canary split across deltas is caught before any part of it is sent.
 */
class CanaryGate {
  private pending = '';
  leaked = false;
  constructor(private readonly canary: string) {}
  push(text: string): string {
    this.pending += text;
    if (this.pending.includes(this.canary)) {
      this.leaked = true;
      this.pending = '';
      return '';
    }
    const keep = this.canary.length - 1;
    const out = this.pending.slice(0, Math.max(0, this.pending.length - keep));
    this.pending = this.pending.slice(out.length);
    return out;
  }
  flush(): string {
    const out = this.pending;
    this.pending = '';
    return out;
  }
}

async function* callModel(
  deps: TurnDeps,
  input: TurnInput,
  messages: readonly ChatMessage[],
  toolChoice: ChatToolChoice,
  gate: CanaryGate,
  offered: ReturnType<typeof chatToolOf>[],
): AsyncGenerator<TurnEvent, ChatModelResult, undefined> {
  const request = {
    messages,
    ...(offered.length > 0 ? { tools: offered, toolChoice } : {}),
  };
  const options = { signal: input.signal };
  const call: DownstreamCall = {
    principal: input.principal,
    signal: input.signal,
    deadline: input.deadline,
  };
  const scope =
    deps.scope ?? (<T>(_call: DownstreamCall, fn: () => T): T => fn());
  if (input.mode === 'complete') {
    const result = await scope(call, () =>
      deps.model.complete(request, options),
    );
    const text = gate.push(result.text) + gate.flush();
    if (text !== '') yield { type: 'delta', text };
    return result;
  }
  let text = '';
  const toolCalls: ChatToolCall[] = [];
  const toolCallErrors: ChatToolCallError[] = [];
  let finish: ChatModelResult | undefined;
  const iterator = scope(call, () =>
    deps.model.stream(request, options)[Symbol.asyncIterator](),
  );
  try {
    for (;;) {
      const step = await scope(call, () => iterator.next());
      if (step.done === true) break;
      const event = step.value;
      switch (event.type) {
        case 'text-delta': {
          text += event.text;
          const out = gate.push(event.text);
          if (out !== '') yield { type: 'delta', text: out };
          break;
        }
        case 'tool-call': {
          const { type: _t, ...toolCall } = event;
          toolCalls.push(toolCall);
          break;
        }
        case 'tool-call-error': {
          const { type: _t, ...failure } = event;
          toolCallErrors.push(failure);
          break;
        }
        case 'finish':
          finish = {
            text,
            toolCalls,
            toolCallErrors,
            finishReason: event.reason,
            usage: event.usage,
          };
          break;
      }
    }
  } finally {
    // Stops the model call when the turn ends early (cancelled consumer).
    await iterator.return?.();
  }
  const rest = gate.flush();
  if (rest !== '') yield { type: 'delta', text: rest };
  if (!finish)
    throw new FieldwiseError(
      'INTERNAL',
      'the model stream ended without finishing',
    );
  return finish;
}

/**
 * Runs one user turn: stores nothing until the turn ends, then the user
 * message and the answer (redacted). Events are yielded as they happen;
 * the last is `final` or `error` (never a thrown error, except when the
 * consumer stops iterating).
 *
 * Safety properties enforced here, whatever the transport:
 * - tools run as the END USER (authz before running, principal downstream);
 * - tool output is wrapped as untrusted data and scanned; flagged text is
 *   withheld, and once anything was flagged in a turn no write tool may run
 *   in it (a write can never be triggered by retrieved text on its own);
 * - write tools only create pending actions; nothing writes before the same
 *   user confirms (see confirmAction);
 * - citations are kept only when they name a chunk shown in this turn and
 *   quote it; the canary in the system prompt never reaches the user.
 */
export async function* runTurn(
  deps: TurnDeps,
  input: TurnInput,
): AsyncGenerator<TurnEvent, void, undefined> {
  try {
    yield* turn(deps, input);
  } catch (error) {
    const failure = toFieldwiseError(error);
    deps.logger.warn({ code: failure.code, err: failure }, 'turn failed');
    const internal = failure.code === 'INTERNAL';
    yield {
      type: 'error',
      code: failure.code,
      message: internal ? 'The turn failed unexpectedly' : failure.message,
      retryable: [
        'DEPENDENCY_UNAVAILABLE',
        'RATE_LIMITED',
        'DEADLINE_EXCEEDED',
        'SHUTTING_DOWN',
      ].includes(failure.code),
    };
  }
}

async function* turn(
  deps: TurnDeps,
  input: TurnInput,
): AsyncGenerator<TurnEvent, void, undefined> {
  const message = input.message.trim();
  if (message.length === 0 || message.length > MAX_MESSAGE)
    throw new FieldwiseError(
      'VALIDATION_FAILED',
      `message must be 1 to ${MAX_MESSAGE} characters`,
      {
        violations: [
          { field: 'message', message: `1 to ${MAX_MESSAGE} characters` },
        ],
      },
    );
  const { principal } = input;
  // Redacted once: the title and the stored user message share it.
  const redactedMessage = await deps.redact(message);
  const conversation = await openConversation(deps, input, redactedMessage);
  yield { type: 'started', conversationId: conversation.id };
  const history = await loadHistory(deps.store, conversation, deps.limits);
  const canary = newCanary();
  const gate = new CanaryGate(canary);
  const system = buildSystemPrompt(
    {
      name: principal.name ?? principal.userId,
      roles: principal.roles,
      territories: principal.territories,
      tenant: principal.tenant,
      ...(input.focusAccountId ? { focusAccountId: input.focusAccountId } : {}),
    },
    deps.clock(),
    canary,
  );
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    ...history,
    { role: 'user', content: message },
  ];
  // Only tools the user may use are offered; the executor checks again.
  const offered = [...deps.tools.values()]
    .filter((t) => deps.authorizer.canUseTool(principal, t.permission).allowed)
    .map(chatToolOf);

  const toolCalls: ToolCallRecord[] = [];
  const pendingActions: PendingActionView[] = [];
  const retrieved = new Map<string, RetrievedChunk>();
  const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let answer = '';
  let tainted = false;
  let toolBudget = deps.limits.maxToolCalls;

  for (let round = 1; ; round++) {
    const lastRound = round >= deps.limits.maxModelCalls || toolBudget <= 0;
    const result: ChatModelResult = yield* callModel(
      deps,
      input,
      messages,
      lastRound ? 'none' : 'auto',
      gate,
      offered,
    );
    usage.inputTokens += result.usage.inputTokens;
    usage.outputTokens += result.usage.outputTokens;
    usage.totalTokens += result.usage.totalTokens;
    answer += result.text;
    const calls = [...result.toolCalls, ...result.toolCallErrors];
    if (calls.length === 0 || lastRound) break;

    messages.push({
      role: 'assistant',
      ...(result.text !== '' ? { content: result.text } : {}),
      toolCalls: calls.map((c): AssistantToolCall => ({
        id: c.id,
        name: c.name,
        rawArguments: c.rawArguments,
      })),
    });
    for (const call of calls) {
      const eventId = deps.newId();
      const argumentsJson = await deps.redact(call.rawArguments);
      yield { type: 'tool-call', id: eventId, name: call.name, argumentsJson };
      const tool = deps.tools.get(call.name);
      let record: ToolCallRecord;
      let content: string;
      if ('error' in call) {
        record = {
          id: eventId,
          name: call.name,
          argumentsJson,
          status: 'failed',
          summary: 'Arguments were not valid JSON',
          errorCode: 'VALIDATION_FAILED',
          pendingActionId: '',
          durationMs: 0,
        };
        content = wrapToolData(call.name, {
          error: {
            code: 'VALIDATION_FAILED',
            message: `arguments were not valid JSON: ${call.error}`,
          },
        });
      } else if (toolBudget <= 0) {
        record = {
          id: eventId,
          name: call.name,
          argumentsJson,
          status: 'failed',
          summary: 'Tool-call budget of this turn spent',
          errorCode: 'RATE_LIMITED',
          pendingActionId: '',
          durationMs: 0,
        };
        content = wrapToolData(call.name, {
          error: {
            code: 'RATE_LIMITED',
            message: `the budget of ${deps.limits.maxToolCalls} tool calls per turn is spent; answer with what you have`,
          },
        });
      } else if (tool?.writes === true && tainted) {
        toolBudget--;
        record = {
          id: eventId,
          name: call.name,
          argumentsJson,
          status: 'denied',
          summary: 'Write refused: flagged content was retrieved in this turn',
          errorCode: 'PERMISSION_DENIED',
          pendingActionId: '',
          durationMs: 0,
        };
        content = wrapToolData(call.name, {
          error: {
            code: 'PERMISSION_DENIED',
            message:
              'writes are not allowed after flagged content in the same turn; ask the user to request the change directly',
          },
        });
      } else {
        toolBudget--;
        const outcome = await executeToolCall(
          {
            tools: deps.tools,
            toolDeps: deps.toolDeps,
            authorizer: deps.authorizer,
            toolTimeoutMs: deps.limits.toolTimeoutMs,
          },
          { name: call.name, arguments: call.arguments },
          {
            principal,
            signal: input.signal,
            deadline: input.deadline,
            conversationId: conversation.id,
          },
        );
        const durationMs = Math.round(outcome.durationMs);
        if (outcome.status === 'executed') {
          const scanned = await scanToolResult(deps.guardrails, outcome.result);
          if (scanned.withheld > 0) tainted = true;
          for (const chunk of scanned.citeable)
            retrieved.set(chunk.chunkId, chunk);
          record = {
            id: eventId,
            name: call.name,
            argumentsJson,
            status: 'executed',
            summary:
              scanned.withheld > 0
                ? `${outcome.result.summary} (${scanned.withheld} flagged text(s) withheld)`
                : outcome.result.summary,
            errorCode: '',
            pendingActionId: '',
            durationMs,
          };
          content = wrapToolData(call.name, scanned.data);
        } else if (outcome.status === 'proposed') {
          const action = await createPendingAction(deps.actions, {
            principal,
            conversationId: conversation.id,
            tool: outcome.tool.name,
            proposal: outcome.proposal,
          });
          const view: PendingActionView = {
            id: action.id,
            tool: action.tool,
            summary: action.summary,
            changes: action.changes,
            expiresAt: action.expiresAt,
            status: 'pending',
            conversationId: conversation.id,
            argumentsJson: await deps.redact(action.argumentsJson),
          };
          pendingActions.push(view);
          yield { type: 'confirmation-required', action: view };
          record = {
            id: eventId,
            name: call.name,
            argumentsJson,
            status: 'pending_confirmation',
            summary: action.summary,
            errorCode: '',
            pendingActionId: action.id,
            durationMs,
          };
          content = wrapToolData(call.name, {
            pendingConfirmation: {
              actionId: action.id,
              summary: action.summary,
              changes: action.changes,
              note: 'Nothing has changed yet: the user must confirm.',
            },
          });
        } else {
          record = {
            id: eventId,
            name: call.name,
            argumentsJson,
            status: statusOf(outcome.status),
            summary: outcome.error.message,
            errorCode: outcome.error.code,
            pendingActionId: '',
            durationMs,
          };
          content = wrapToolData(call.name, { error: outcome.error });
        }
      }
      toolCalls.push(record);
      deps.audit?.({
        principal,
        conversationId: conversation.id,
        tool: call.name,
        writes: tool?.writes ?? false,
        status: record.status,
        argumentsJson: call.rawArguments,
        redactedArgumentsJson: argumentsJson,
        ...(record.errorCode ? { errorCode: record.errorCode } : {}),
        ...(record.pendingActionId
          ? { confirmationId: record.pendingActionId }
          : {}),
        latencyMs: record.durationMs,
        ...(input.traceId ? { traceId: input.traceId } : {}),
      });
      yield {
        type: 'tool-result',
        callId: eventId,
        name: call.name,
        status: record.status,
        summary: record.summary,
        errorCode: record.errorCode,
        pendingActionId: record.pendingActionId,
      };
      messages.push({ role: 'tool', toolCallId: call.id, content });
    }
  }

  if (gate.leaked || answer.includes(canary)) {
    throw new FieldwiseError(
      'PERMISSION_DENIED',
      'The answer was withheld: it would have revealed internal instructions',
    );
  }
  const checked = checkCitations(answer, retrieved);
  for (const citation of checked.citations)
    yield { type: 'citation', citation };

  const now = deps.clock();
  const messageId = deps.newId();
  await deps.store.appendMessages(
    conversation.id,
    [
      {
        id: deps.newId(),
        role: 'user',
        content: redactedMessage,
        createdAt: now,
        metadata: {},
      },
      {
        id: messageId,
        role: 'assistant',
        content: await deps.redact(checked.answer),
        createdAt: now,
        metadata: {
          citations: checked.citations,
          toolCalls,
          pendingActionIds: pendingActions.map((a) => a.id),
          model: deps.model.info,
          usage,
        },
      },
    ],
    now,
  );
  const final: FinalTurn = {
    conversationId: conversation.id,
    messageId,
    answer: checked.answer,
    citations: checked.citations,
    toolCalls,
    pendingActions,
    model: deps.model.info,
    usage,
  };
  yield { type: 'final', final };
}
