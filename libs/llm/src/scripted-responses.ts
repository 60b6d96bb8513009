/** A tool call a scripted model makes; its arguments arrive in the given pieces. */
export interface ScriptedToolCall {
  /** Defaults to `call_<turn>_<index>`. */
  readonly id?: string;
  readonly name: string;
  /** Argument text split as the stream should split it (joined for JSON answers). */
  readonly argumentsChunks: readonly string[];
}

/** Token counts a scripted server reports. */
export interface ScriptedUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Where a scripted stream stops behaving. */
export interface StreamFaults {
  /** After this many SSE events, send nothing more and hold the connection open. */
  readonly stallAfterChunks?: number;
  /** After this many SSE events, destroy the connection. */
  readonly disconnectAfterChunks?: number;
}

/** Options of a scripted answer. */
export interface TurnOptions extends StreamFaults {
  /** `null`: report no usage at all. Defaults to 10 prompt tokens and one per chunk. */
  readonly usage?: ScriptedUsage | null;
  /** Overrides the finish reason (`stop`, or `tool_calls` when calls were made); `null` sends none. */
  readonly finishReason?: string | null;
  /** Model name in the answer; defaults to the requested one. */
  readonly model?: string;
  /** Interleave the fragments of parallel tool calls instead of sending them one call after another. */
  readonly interleave?: boolean;
  /** Send each tool-call fragment without `index`, as some compatible servers do. */
  readonly omitToolCallIndex?: boolean;
}

/**
 * One scripted reply. A `turn` is rendered as an SSE stream when the request
 * asked for `stream: true`, and as one JSON completion otherwise.
 */
export type ScriptedResponse =
  | {
      readonly kind: 'turn';
      readonly text: readonly string[];
      readonly toolCalls: readonly ScriptedToolCall[];
      readonly options: TurnOptions;
    }
  | {
      readonly kind: 'raw-stream';
      /** SSE `data:` payloads sent as they are (`[DONE]` is not added). */
      readonly events: readonly string[];
      readonly options: StreamFaults;
    }
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: unknown;
    }
  | { readonly kind: 'stall' };

/** Options of {@link scripted.error}. */
export interface ScriptedErrorOptions {
  /** Sent as `retry-after` (seconds). */
  readonly retryAfter?: number;
  /** Sent as `retry-after-ms`. */
  readonly retryAfterMs?: number;
  readonly message?: string;
  readonly type?: string;
  readonly code?: string;
}

/** Builders of scripted replies, for `ScriptedOpenAIServer.enqueue`. */
export const scripted = {
  /** An answer streamed as these text deltas. */
  textStream(
    deltas: readonly string[],
    options: TurnOptions = {},
  ): ScriptedResponse {
    return { kind: 'turn', text: [...deltas], toolCalls: [], options };
  },

  /**
   * An answer that calls these tools (several: parallel tool calls), each
   * call's id and name in its first fragment and its arguments in the given
   * pieces; `text` deltas, if any, come first.
   */
  toolCallStream(
    calls: readonly ScriptedToolCall[],
    options: TurnOptions & { readonly text?: readonly string[] } = {},
  ): ScriptedResponse {
    const { text = [], ...rest } = options;
    return {
      kind: 'turn',
      text: [...text],
      toolCalls: [...calls],
      options: rest,
    };
  },

  /** SSE `data:` payloads sent verbatim: objects are JSON-encoded, strings sent as they are. */
  rawStream(
    events: readonly (string | object)[],
    faults: StreamFaults = {},
  ): ScriptedResponse {
    return {
      kind: 'raw-stream',
      events: events.map((e) =>
        typeof e === 'string' ? e : JSON.stringify(e),
      ),
      options: faults,
    };
  },

  /** Any JSON answer with any status. */
  json(
    body: unknown,
    status = 200,
    headers: Readonly<Record<string, string>> = {},
  ): ScriptedResponse {
    return { kind: 'http', status, headers, body };
  },

  /** An OpenAI-style error answer (`{"error": {...}}`), optionally with retry headers. */
  error(status: number, options: ScriptedErrorOptions = {}): ScriptedResponse {
    const headers: Record<string, string> = {};
    if (options.retryAfter !== undefined)
      headers['retry-after'] = String(options.retryAfter);
    if (options.retryAfterMs !== undefined)
      headers['retry-after-ms'] = String(options.retryAfterMs);
    return {
      kind: 'http',
      status,
      headers,
      body: {
        error: {
          message: options.message ?? `scripted error ${status}`,
          type:
            options.type ??
            (status === 429 ? 'rate_limit_error' : 'server_error'),
          param: null,
          code: options.code ?? null,
        },
      },
    };
  },

  /** Accepts the request and never answers (until the client gives up). */
  stall(): ScriptedResponse {
    return { kind: 'stall' };
  },
} as const;
