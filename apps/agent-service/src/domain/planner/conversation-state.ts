import type { ChatMessage } from '@fieldwise/llm';

/** A tool call made in the current turn, with its result when it arrived. */
export interface TurnToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The parsed result; undefined until the tool message arrives. */
  readonly result?: ParsedToolResult;
}

/** A tool result as the planner reads it. */
export interface ParsedToolResult {
  /** The JSON value (the text itself when it is not JSON). */
  readonly value: unknown;
  /**
   * True when the result is untrusted and was withheld or flagged (possible
   * prompt injection): its content never feeds a tool call.
   */
  readonly untrusted: boolean;
  /** The error a tool reported instead of a result. */
  readonly error?: string;
}

/** What the planner needs from the conversation sent to it. */
export interface ConversationState {
  /** The latest user message (the request of this turn). */
  readonly message: string;
  /** Earlier user messages, oldest first. */
  readonly earlierUserMessages: readonly string[];
  /** Arguments of tool calls made in earlier turns, newest first. */
  readonly earlierToolArguments: readonly Readonly<Record<string, unknown>>[];
  /** Tool calls of this turn (after the latest user message), in order. */
  readonly calls: readonly TurnToolCall[];
  /** Model rounds already spent in this turn. */
  readonly rounds: number;
}

/** Reads the current turn out of the messages (the latest user message onwards). */
export function readConversation(
  messages: readonly ChatMessage[],
): ConversationState {
  let last = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') last = i;
  });
  const userMessages = messages.filter((m) => m.role === 'user');
  const earlierToolArguments: Record<string, unknown>[] = [];
  for (const m of messages.slice(0, Math.max(0, last))) {
    if (m.role === 'assistant') {
      for (const call of m.toolCalls ?? [])
        earlierToolArguments.unshift(
          asRecord(call.arguments ?? safeJson(call.rawArguments)),
        );
    }
  }
  const results = new Map<string, string>();
  const calls: {
    id: string;
    name: string;
    arguments: Record<string, unknown>;
  }[] = [];
  let rounds = 0;
  for (const m of messages.slice(last + 1)) {
    if (m.role === 'assistant') {
      rounds += 1;
      for (const call of m.toolCalls ?? []) {
        calls.push({
          id: call.id,
          name: call.name,
          arguments: asRecord(call.arguments ?? safeJson(call.rawArguments)),
        });
      }
    } else if (m.role === 'tool') {
      results.set(m.toolCallId, m.content);
    }
  }
  const lastUser = last >= 0 ? messages[last] : undefined;
  return {
    message: lastUser?.role === 'user' ? lastUser.content : '',
    earlierUserMessages: userMessages
      .slice(0, -1)
      .map((m) => (m.role === 'user' ? m.content : '')),
    earlierToolArguments,
    calls: calls.map((c) => {
      const content = results.get(c.id);
      return content === undefined
        ? c
        : { ...c, result: parseToolResult(content) };
    }),
    rounds,
  };
}

/**
 * Parses a tool message. Results are JSON; some arrive wrapped as data
 * (`{ data, flagged }`, `{ result }`, or JSON inside delimiting text), so
 * the first JSON object or array in the text is taken. Markers of
 * untrusted content: `withheld`, `flagged`, `injectionFlagged`,
 * `untrusted` set to true at the top level of the result or its wrapper.
 */
export function parseToolResult(content: string): ParsedToolResult {
  const parsed = safeJson(content) ?? safeJson(extractJson(content));
  if (parsed === undefined)
    return { value: content, untrusted: /withheld|flagged/i.test(content) };
  let value: unknown = parsed;
  let untrusted = isFlagged(parsed);
  if (isRecord(parsed)) {
    for (const key of ['data', 'result', 'output']) {
      if (
        key in parsed &&
        Object.keys(parsed).every((k) =>
          [
            key,
            'flagged',
            'withheld',
            'untrusted',
            'injectionFlagged',
            'ok',
            'status',
            'tool',
            'summary',
          ].includes(k),
        )
      ) {
        value = parsed[key];
        untrusted ||= isFlagged(value);
        break;
      }
    }
  }
  const error = errorOf(parsed) ?? errorOf(value);
  return error === undefined
    ? { value, untrusted }
    : { value, untrusted, error };
}

function isFlagged(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return ['withheld', 'flagged', 'injectionFlagged', 'untrusted'].some(
    (k) => value[k] === true,
  );
}

function errorOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const error = value.error;
  if (typeof error === 'string') return error;
  if (isRecord(error)) {
    const message =
      typeof error.message === 'string' ? error.message : undefined;
    const code = typeof error.code === 'string' ? error.code : undefined;
    return [code, message].filter(Boolean).join(': ') || 'the tool failed';
  }
  if (value.ok === false && typeof value.message === 'string')
    return value.message;
  return undefined;
}

function extractJson(text: string): string {
  const start = text.search(/[[{]/);
  if (start < 0) return '';
  const close = text[start] === '{' ? '}' : ']';
  const end = text.lastIndexOf(close);
  return end > start ? text.slice(start, end + 1) : '';
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True for a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
