/** Who serves a chat model. */
export type ChatModelProvider =
  'openai' | 'azure-openai' | 'openai-compatible' | 'offline';

/** What a chat model says about itself (shown in `/v1/models` and answer metadata). */
export interface ChatModelInfo {
  readonly provider: ChatModelProvider;
  /** The model or deployment name requests go to. */
  readonly name: string;
  /** True for the embedded offline planner, false for a real model endpoint. */
  readonly offline: boolean;
}

/** A JSON Schema object, as sent to a provider for function calling. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A function the model may call. */
export interface ChatTool {
  /** 1–64 characters of `[A-Za-z0-9_-]` (the providers' limit). */
  readonly name: string;
  /** Written for the model: when to call it and what it returns. */
  readonly description: string;
  /** JSON Schema of the arguments; its top level is an object. */
  readonly parameters: JsonSchema;
}

/**
 * Whether and which tool the model must call: `auto` (the model decides),
 * `none`, `required` (some tool), or one named tool.
 */
export type ChatToolChoice =
  'auto' | 'none' | 'required' | { readonly name: string };

/** A tool call the assistant made earlier in the conversation. */
export interface AssistantToolCall {
  readonly id: string;
  readonly name: string;
  /** Parsed arguments; sent as JSON unless `rawArguments` is given. */
  readonly arguments?: unknown;
  /** The exact text the model produced; sent as is when present (malformed calls included). */
  readonly rawArguments?: string;
}

/** One message of a conversation sent to the model. */
export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly content?: string;
      readonly toolCalls?: readonly AssistantToolCall[];
    }
  | {
      readonly role: 'tool';
      /** The `id` of the assistant tool call this result answers. */
      readonly toolCallId: string;
      readonly content: string;
    };

/** One model call: the conversation so far, the tools offered and sampling settings. */
export interface ChatModelRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ChatTool[];
  readonly toolChoice?: ChatToolChoice;
  /** 0–2. */
  readonly temperature?: number;
  /** Upper bound on generated tokens. */
  readonly maxTokens?: number;
}

/** Per-call options. */
export interface ChatModelCallOptions {
  /** Aborting it stops the call; the call then fails with `CANCELLED`. */
  readonly signal?: AbortSignal;
  /** Overrides the model's configured timeout for this call, in milliseconds. */
  readonly timeoutMs?: number;
}

/** Token counts of one call. */
export interface ChatUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  /** True when the server reported no usage and these are estimates from text length. */
  readonly estimated?: boolean;
}

/**
 * Why generation stopped: `stop` (a final answer), `tool_calls` (the model
 * wants tools run), `length` (the token limit), `content_filter`, or `other`
 * for anything else a server reports.
 */
export type ChatFinishReason =
  'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

/** A text fragment of the answer, in order. */
export interface TextDeltaEvent {
  readonly type: 'text-delta';
  readonly text: string;
}

/** A complete tool call whose arguments parsed as JSON. */
export interface ToolCallEvent {
  readonly type: 'tool-call';
  readonly id: string;
  readonly name: string;
  /** The parsed JSON arguments (not yet validated against the tool's schema). */
  readonly arguments: unknown;
  readonly rawArguments: string;
}

/**
 * A complete tool call whose arguments were not valid JSON. The model made a
 * mistake; the caller tells it so rather than failing the turn.
 */
export interface ToolCallErrorEvent {
  readonly type: 'tool-call-error';
  readonly id: string;
  readonly name: string;
  readonly rawArguments: string;
  /** Why the arguments were rejected (never contains the arguments). */
  readonly error: string;
}

/** The last event of every successful call. */
export interface FinishEvent {
  readonly type: 'finish';
  readonly reason: ChatFinishReason;
  readonly usage: ChatUsage;
}

/** What a streaming call yields. */
export type ChatModelEvent =
  TextDeltaEvent | ToolCallEvent | ToolCallErrorEvent | FinishEvent;

/** A finished tool call, as in {@link ToolCallEvent}. */
export type ChatToolCall = Omit<ToolCallEvent, 'type'>;

/** A malformed tool call, as in {@link ToolCallErrorEvent}. */
export type ChatToolCallError = Omit<ToolCallErrorEvent, 'type'>;

/** The whole answer of a non-streaming call. */
export interface ChatModelResult {
  readonly text: string;
  readonly toolCalls: readonly ChatToolCall[];
  readonly toolCallErrors: readonly ChatToolCallError[];
  readonly finishReason: ChatFinishReason;
  readonly usage: ChatUsage;
}

/**
 * The model port the agent talks to. Implementations: the `openai` SDK
 * adapter (OpenAI, Azure OpenAI, OpenAI-compatible servers) and the offline
 * planner.
 *
 * Contract of both methods:
 * - the request is validated first; a bad one fails with `VALIDATION_FAILED`;
 * - failures are `FieldwiseError`s: `RATE_LIMITED`, `DEPENDENCY_UNAVAILABLE`,
 *   `DEADLINE_EXCEEDED`, `CANCELLED` (the caller's signal) or
 *   `VALIDATION_FAILED` (the provider rejected the request);
 * - tool calls are reported only when complete; malformed arguments become a
 *   `tool-call-error`, never a thrown error.
 *
 * `stream` yields text deltas as they arrive, then the tool calls, then
 * exactly one `finish` event. Breaking out of the iteration aborts the call.
 */
export interface ChatModel {
  readonly info: ChatModelInfo;
  stream(
    request: ChatModelRequest,
    options?: ChatModelCallOptions,
  ): AsyncIterable<ChatModelEvent>;
  complete(
    request: ChatModelRequest,
    options?: ChatModelCallOptions,
  ): Promise<ChatModelResult>;
}
