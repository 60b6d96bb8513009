import { trace, type Span, type Tracer } from '@opentelemetry/api';
import {
  recordModelContent,
  recordModelError,
  recordModelUsage,
  startModelSpan,
  type ModelSystem,
} from '@fieldwise/telemetry';
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  AzureOpenAI,
  OpenAI,
  OpenAIError,
} from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
} from 'openai/resources/chat/completions';
import type { Logger } from 'pino';
import { CallDeadline } from './call-deadline.js';
import type {
  ChatFinishReason,
  ChatModel,
  ChatModelCallOptions,
  ChatModelEvent,
  ChatModelInfo,
  ChatModelRequest,
  ChatModelResult,
  ChatUsage,
  ToolCallErrorEvent,
  ToolCallEvent,
} from './chat-model.js';
import { buildChatModelResult } from './collect-result.js';
import {
  normalizeFinishReason,
  toOpenAIRequestBody,
  type OpenAIRequestBody,
} from './openai-request.js';
import { mapProviderError } from './provider-errors.js';
import { validateChatModelRequest } from './request-validation.js';
import { RetryLoop, abortableSleep, type Sleep } from './retry-loop.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { readServerSentEvents } from './sse-reader.js';
import { ToolCallAssembler, finishToolCall } from './tool-call-assembler.js';
import {
  chatUsage,
  estimateInputTokens,
  estimateOutputTokens,
} from './usage-estimate.js';

/** Where and how to reach an OpenAI-protocol model. */
export type OpenAIConnection =
  | {
      readonly provider: 'openai';
      readonly apiKey: string;
      readonly model: string;
      /** Defaults to `https://api.openai.com/v1`. */
      readonly baseURL?: string;
      readonly organization?: string;
    }
  | {
      readonly provider: 'openai-compatible';
      /** e.g. `http://localhost:11434/v1` (Ollama) or `http://vllm:8000/v1`. */
      readonly baseURL: string;
      readonly model: string;
      /** Many self-hosted servers need none. */
      readonly apiKey?: string;
    }
  | {
      readonly provider: 'azure-openai';
      /** e.g. `https://my-resource.openai.azure.com`. */
      readonly endpoint: string;
      readonly apiKey: string;
      readonly apiVersion: string;
      readonly deployment: string;
    };

/** Behaviour settings of the adapter. */
export interface OpenAIChatModelOptions {
  /** Whole-call timeout (all attempts and the full stream); default 60 s. */
  readonly timeoutMs?: number;
  /** Overrides parts of {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Put prompts and completions on spans (`gen_ai.input.messages`,
   * `gen_ai.output.messages`). Off by default: traces leave the process.
   */
  readonly captureContent?: boolean;
}

/** What the adapter needs from its host. */
export interface OpenAIChatModelDeps {
  readonly logger: Logger;
  /** Defaults to the global tracer `@fieldwise/llm` (a no-op until telemetry starts). */
  readonly tracer?: Tracer;
  /** Replaces the backoff wait (tests record the waits instead of sleeping). */
  readonly sleep?: Sleep;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Key sent to servers that need none: the SDK refuses an empty key. */
const NO_API_KEY = 'not-needed';

const SYSTEMS: Readonly<Record<OpenAIConnection['provider'], ModelSystem>> = {
  openai: 'openai',
  // A compatible server speaks the OpenAI protocol; the model name says whose model it is.
  'openai-compatible': 'openai',
  'azure-openai': 'azure.openai',
};

/**
 * Builds the SDK client for a connection. Every option the SDK would
 * otherwise read from `process.env` is passed explicitly (configuration is
 * read once, by the service), the SDK's own retries are off (the adapter
 * retries, only before output reached the caller) and its logging is off
 * (it would log request bodies at debug level).
 */
function createClient(connection: OpenAIConnection, timeoutMs: number): OpenAI {
  const common = {
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: 'off' as const,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
  };
  switch (connection.provider) {
    case 'openai':
      return new OpenAI({
        ...common,
        apiKey: connection.apiKey,
        baseURL: connection.baseURL ?? 'https://api.openai.com/v1',
        organization: connection.organization ?? null,
      });
    case 'openai-compatible':
      return new OpenAI({
        ...common,
        apiKey: connection.apiKey ?? NO_API_KEY,
        baseURL: connection.baseURL,
      });
    case 'azure-openai':
      // `baseURL` rather than `endpoint`: the SDK would otherwise fall back
      // to OPENAI_BASE_URL from the environment and reject the pair.
      return new AzureOpenAI({
        ...common,
        apiKey: connection.apiKey,
        apiVersion: connection.apiVersion,
        deployment: connection.deployment,
        baseURL: `${connection.endpoint.replace(/\/+$/, '')}/openai`,
      });
  }
}

function serverOf(connection: OpenAIConnection): {
  serverAddress?: string;
  serverPort?: number;
} {
  const raw =
    connection.provider === 'azure-openai'
      ? connection.endpoint
      : (connection.baseURL ?? 'https://api.openai.com/v1');
  if (!URL.canParse(raw)) return {};
  const url = new URL(raw);
  const port =
    url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
  return { serverAddress: url.hostname, serverPort: port };
}

/** Facts gathered while a call runs, recorded on its span at the end. */
interface CallOutcome {
  text: string;
  toolCalls: (ToolCallEvent | ToolCallErrorEvent)[];
  rawFinishReason: string | null;
  reason: ChatFinishReason;
  usage: ChatUsage;
  responseModel: string | undefined;
  responseId: string | undefined;
}

/**
 * The `ChatModel` adapter on the `openai` SDK, for OpenAI, Azure OpenAI and
 * OpenAI-compatible servers (vLLM, Ollama, llama.cpp server). See
 * {@link ChatModel} for the contract. Each call:
 * - streams with `stream_options.include_usage` and assembles tool-call
 *   fragments by index (parallel calls included);
 * - retries 429, 408/409, 5xx and lost connections with exponential backoff
 *   and jitter, honouring `retry-after-ms` / `retry-after`, at most
 *   `maxRetries` times and only before any output reached the caller;
 * - has one timeout covering every attempt and the whole stream;
 * - records a GenAI CLIENT span (usage, finish reasons, attempts; no content
 *   unless `captureContent`), and estimates usage when the server sends none.
 */
export class OpenAIChatModel implements ChatModel {
  readonly info: ChatModelInfo;
  readonly #client: OpenAI;
  readonly #connection: OpenAIConnection;
  readonly #model: string;
  readonly #timeoutMs: number;
  readonly #policy: RetryPolicy;
  readonly #captureContent: boolean;
  readonly #logger: Logger;
  readonly #tracer: Tracer;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #server: { serverAddress?: string; serverPort?: number };

  constructor(
    connection: OpenAIConnection,
    deps: OpenAIChatModelDeps,
    options: OpenAIChatModelOptions = {},
  ) {
    this.#connection = connection;
    this.#model =
      connection.provider === 'azure-openai'
        ? connection.deployment
        : connection.model;
    this.info = Object.freeze({
      provider: connection.provider,
      name: this.#model,
      offline: false,
    });
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#captureContent = options.captureContent ?? false;
    this.#logger = deps.logger.child({
      component: 'llm',
      provider: connection.provider,
      model: this.#model,
    });
    this.#tracer = deps.tracer ?? trace.getTracer('@fieldwise/llm');
    this.#sleep = deps.sleep ?? abortableSleep;
    this.#random = deps.random ?? Math.random;
    this.#server = serverOf(connection);
    this.#client = createClient(connection, this.#timeoutMs);
  }

  async *stream(
    request: ChatModelRequest,
    options: ChatModelCallOptions = {},
  ): AsyncGenerator<ChatModelEvent, void, undefined> {
    validateChatModelRequest(request);
    const call = this.#begin(request, options);
    try {
      const outcome = yield* this.#streamWithRetries(request, call);
      this.#succeed(call, request, outcome);
      yield { type: 'finish', reason: outcome.reason, usage: outcome.usage };
    } catch (error) {
      throw this.#fail(call, error);
    } finally {
      call.deadline.dispose();
      call.span.end();
    }
  }

  async complete(
    request: ChatModelRequest,
    options: ChatModelCallOptions = {},
  ): Promise<ChatModelResult> {
    validateChatModelRequest(request);
    const call = this.#begin(request, options);
    try {
      const outcome = await this.#completeWithRetries(request, call);
      this.#succeed(call, request, outcome);
      return buildChatModelResult(outcome.text, outcome.toolCalls, {
        type: 'finish',
        reason: outcome.reason,
        usage: outcome.usage,
      });
    } catch (error) {
      throw this.#fail(call, error);
    } finally {
      call.deadline.dispose();
      call.span.end();
    }
  }

  #begin(request: ChatModelRequest, options: ChatModelCallOptions): ActiveCall {
    const deadline = new CallDeadline(
      options.timeoutMs ?? this.#timeoutMs,
      options.signal,
    );
    const span = startModelSpan(this.#tracer, {
      system: SYSTEMS[this.#connection.provider],
      operation: 'chat',
      model: this.#model,
      ...(request.maxTokens !== undefined
        ? { maxTokens: request.maxTokens }
        : {}),
      ...(request.temperature !== undefined
        ? { temperature: request.temperature }
        : {}),
      ...this.#server,
    });
    const retries = new RetryLoop({
      policy: this.#policy,
      logger: this.#logger,
      span,
      deadline,
      sleep: this.#sleep,
      random: this.#random,
    });
    return {
      deadline,
      span,
      retries,
      body: toOpenAIRequestBody(
        request,
        this.#model,
        this.#connection.provider,
      ),
    };
  }

  async *#streamWithRetries(
    request: ChatModelRequest,
    call: ActiveCall,
  ): AsyncGenerator<ChatModelEvent, CallOutcome, undefined> {
    for (;;) {
      call.retries.begin();
      const progress = { streamedToCaller: false };
      try {
        return yield* this.#streamAttempt(request, call, progress);
      } catch (error) {
        const again = await call.retries.retryAfter(
          error,
          progress.streamedToCaller,
        );
        if (!again) throw error;
      }
    }
  }

  async *#streamAttempt(
    request: ChatModelRequest,
    call: ActiveCall,
    progress: { streamedToCaller: boolean },
  ): AsyncGenerator<ChatModelEvent, CallOutcome, undefined> {
    const response = await this.#client.chat.completions
      .create(
        {
          ...call.body,
          stream: true,
          stream_options: { include_usage: true },
        },
        {
          signal: call.deadline.signal,
          timeout: call.deadline.remainingMs() || 1,
        },
      )
      .asResponse();
    const assembler = new ToolCallAssembler();
    const text: string[] = [];
    let rawFinishReason: string | null = null;
    let reported: ChatCompletionChunk['usage'];
    let responseModel: string | undefined;
    let responseId: string | undefined;
    try {
      for await (const chunk of readChunks(response)) {
        responseModel ??= chunk.model || undefined;
        responseId ??= chunk.id || undefined;
        if (chunk.usage) reported = chunk.usage;
        for (const choice of chunk.choices ?? []) {
          // One answer is requested (n = 1); other choices would be a server bug.
          if (choice.index !== 0) continue;
          const content = choice.delta?.content;
          if (content) {
            text.push(content);
            progress.streamedToCaller = true;
            yield { type: 'text-delta', text: content };
          }
          for (const delta of choice.delta?.tool_calls ?? []) {
            assembler.add(delta);
          }
          if (choice.finish_reason) rawFinishReason = choice.finish_reason;
        }
      }
    } catch (error) {
      throw asStreamFailure(error);
    }
    // A body cut by our own abort can end without an error on some runtimes.
    if (call.deadline.signal.aborted) throw new APIUserAbortError();
    const toolCalls = assembler.finish();
    for (const event of toolCalls) {
      progress.streamedToCaller = true;
      yield event;
    }
    return this.#outcome(request, {
      text: text.join(''),
      toolCalls,
      rawFinishReason,
      reported,
      responseModel,
      responseId,
    });
  }

  async #completeWithRetries(
    request: ChatModelRequest,
    call: ActiveCall,
  ): Promise<CallOutcome> {
    for (;;) {
      call.retries.begin();
      try {
        const completion: ChatCompletion =
          await this.#client.chat.completions.create(
            { ...call.body, stream: false },
            {
              signal: call.deadline.signal,
              timeout: call.deadline.remainingMs() || 1,
            },
          );
        const choice = completion.choices?.[0];
        const toolCalls = (choice?.message?.tool_calls ?? []).flatMap(
          (tool, index) =>
            tool.type === 'function'
              ? [
                  finishToolCall(
                    tool.id || `call_${index}`,
                    tool.function.name,
                    tool.function.arguments ?? '',
                  ),
                ]
              : [],
        );
        return this.#outcome(request, {
          text: choice?.message?.content ?? '',
          toolCalls,
          rawFinishReason: choice?.finish_reason ?? null,
          reported: completion.usage,
          responseModel: completion.model || undefined,
          responseId: completion.id || undefined,
        });
      } catch (error) {
        if (!(await call.retries.retryAfter(error, false))) throw error;
      }
    }
  }

  #outcome(
    request: ChatModelRequest,
    facts: {
      text: string;
      toolCalls: (ToolCallEvent | ToolCallErrorEvent)[];
      rawFinishReason: string | null;
      reported: ChatCompletionChunk['usage'];
      responseModel: string | undefined;
      responseId: string | undefined;
    },
  ): CallOutcome {
    const usage = facts.reported
      ? chatUsage(
          facts.reported.prompt_tokens,
          facts.reported.completion_tokens,
          false,
        )
      : chatUsage(
          estimateInputTokens(request),
          estimateOutputTokens([
            facts.text,
            ...facts.toolCalls.map((c) => c.name + c.rawArguments),
          ]),
          true,
        );
    return {
      text: facts.text,
      toolCalls: facts.toolCalls,
      rawFinishReason: facts.rawFinishReason,
      reason: normalizeFinishReason(
        facts.rawFinishReason,
        facts.toolCalls.length > 0,
      ),
      usage,
      responseModel: facts.responseModel,
      responseId: facts.responseId,
    };
  }

  #succeed(
    call: ActiveCall,
    request: ChatModelRequest,
    outcome: CallOutcome,
  ): void {
    recordModelUsage(call.span, {
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
      ...(outcome.responseModel !== undefined
        ? { responseModel: outcome.responseModel }
        : {}),
      ...(outcome.responseId !== undefined
        ? { responseId: outcome.responseId }
        : {}),
      finishReasons: [outcome.rawFinishReason ?? outcome.reason],
    });
    call.span.setAttribute('fieldwise.llm.attempts', call.retries.attempts);
    call.span.setAttribute(
      'fieldwise.llm.usage_estimated',
      outcome.usage.estimated === true,
    );
    recordModelContent(
      call.span,
      {
        input: request.messages,
        output: { text: outcome.text, toolCalls: outcome.toolCalls },
      },
      { captureContent: this.#captureContent },
    );
    this.#logger.debug(
      {
        attempts: call.retries.attempts,
        finishReason: outcome.reason,
        toolCalls: outcome.toolCalls.length,
        inputTokens: outcome.usage.inputTokens,
        outputTokens: outcome.usage.outputTokens,
        usageEstimated: outcome.usage.estimated === true,
      },
      'model call finished',
    );
  }

  #fail(call: ActiveCall, error: unknown): Error {
    const mapped = mapProviderError(
      error,
      this.#connection.provider,
      call.deadline.state,
    );
    recordModelError(call.span, mapped);
    call.span.setAttribute('fieldwise.llm.attempts', call.retries.attempts);
    this.#logger.warn(
      {
        code: mapped.code,
        attempts: call.retries.attempts,
        httpStatus: mapped.context['httpStatus'],
      },
      'model call failed',
    );
    return mapped;
  }
}

interface ActiveCall {
  readonly deadline: CallDeadline;
  readonly span: Span;
  readonly retries: RetryLoop;
  readonly body: OpenAIRequestBody;
}

/**
 * Errors while reading a stream: the SDK's own errors (and ours from
 * {@link readChunks}) pass through; anything else is a broken connection
 * (undici's `terminated`), so it may be retried.
 */
function asStreamFailure(error: unknown): unknown {
  if (error instanceof OpenAIError) return error;
  return new APIConnectionError({
    message: 'the model stream was interrupted',
    ...(error instanceof Error ? { cause: error } : {}),
  });
}

/**
 * The chat-completion chunks of an SSE response, up to `[DONE]`. A chunk
 * that is not JSON fails with a generic error (a `SyntaxError` message could
 * quote model output); an error object in the stream becomes an `APIError`
 * without status, which is retried like a 5xx when nothing was yielded yet.
 */
async function* readChunks(
  response: Response,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  if (response.body === null) return;
  for await (const event of readServerSentEvents(response.body)) {
    if (event.data === '[DONE]') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      throw new OpenAIError('the model stream held an unreadable chunk');
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw new OpenAIError('the model stream held an unreadable chunk');
    }
    if (event.event === 'error' || 'error' in parsed) {
      throw new APIError(
        undefined,
        undefined,
        'the model stream reported an error',
        undefined,
      );
    }
    yield parsed as ChatCompletionChunk;
  }
}
