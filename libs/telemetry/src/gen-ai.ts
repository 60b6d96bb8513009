import {
  SpanKind,
  SpanStatusCode,
  context,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { GEN_AI, GEN_AI_COMMON } from './gen-ai-attributes.js';

/** Who serves the model: OpenAI, Azure OpenAI, or the embedded offline planner. */
export type ModelSystem = 'openai' | 'azure.openai' | 'fieldwise.offline';

/** The GenAI operations Fieldwise performs. */
export type ModelOperation = 'chat' | 'embeddings';

/**
 * Our system names mapped to the conventions' well-known provider values
 * (`azure.ai.openai` is the registered name for Azure OpenAI); the offline
 * planner gets a custom, namespaced value.
 */
const PROVIDER_VALUES: Readonly<Record<ModelSystem, string>> = {
  openai: 'openai',
  'azure.openai': 'azure.ai.openai',
  'fieldwise.offline': 'fieldwise.offline',
};

/** What a model span describes at its start. */
export interface ModelSpanOptions {
  readonly system: ModelSystem;
  readonly operation: ModelOperation;
  /** The requested model or deployment name. */
  readonly model: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** Host of the model endpoint, when there is one. */
  readonly serverAddress?: string;
  readonly serverPort?: number;
}

/**
 * Starts a CLIENT span named `"{operation} {model}"` with the GenAI request
 * attributes (`gen_ai.provider.name` and the older `gen_ai.system`,
 * `gen_ai.operation.name`, `gen_ai.request.model`, and max tokens,
 * temperature and server address when given). The span is a child of the
 * span in `parent` (the active context by default); the caller ends it.
 * No prompt or completion text is recorded (see {@link recordModelContent}).
 */
export function startModelSpan(
  tracer: Tracer,
  options: ModelSpanOptions,
  parent: Context = context.active(),
): Span {
  const provider = PROVIDER_VALUES[options.system];
  const attributes: Attributes = {
    [GEN_AI.PROVIDER_NAME]: provider,
    [GEN_AI.SYSTEM]: provider,
    [GEN_AI.OPERATION_NAME]: options.operation,
    [GEN_AI.REQUEST_MODEL]: options.model,
  };
  if (options.maxTokens !== undefined)
    attributes[GEN_AI.REQUEST_MAX_TOKENS] = options.maxTokens;
  if (options.temperature !== undefined) {
    attributes[GEN_AI.REQUEST_TEMPERATURE] = options.temperature;
  }
  if (options.serverAddress !== undefined) {
    attributes[GEN_AI_COMMON.SERVER_ADDRESS] = options.serverAddress;
  }
  if (options.serverPort !== undefined)
    attributes[GEN_AI_COMMON.SERVER_PORT] = options.serverPort;
  return tracer.startSpan(
    `${options.operation} ${options.model}`,
    { kind: SpanKind.CLIENT, attributes },
    parent,
  );
}

/** What a model reported about a finished call. */
export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The model that actually answered, when the provider says. */
  readonly responseModel?: string;
  readonly responseId?: string;
  /** One reason per choice, e.g. `['stop']` or `['tool_calls']`. */
  readonly finishReasons?: readonly string[];
}

/**
 * Sets the GenAI response attributes: `gen_ai.usage.input_tokens`,
 * `gen_ai.usage.output_tokens`, and `gen_ai.response.model`,
 * `gen_ai.response.id`, `gen_ai.response.finish_reasons` when known.
 */
export function recordModelUsage(span: Span, usage: ModelUsage): void {
  span.setAttribute(GEN_AI.USAGE_INPUT_TOKENS, usage.inputTokens);
  span.setAttribute(GEN_AI.USAGE_OUTPUT_TOKENS, usage.outputTokens);
  if (usage.responseModel !== undefined) {
    span.setAttribute(GEN_AI.RESPONSE_MODEL, usage.responseModel);
  }
  if (usage.responseId !== undefined)
    span.setAttribute(GEN_AI.RESPONSE_ID, usage.responseId);
  if (usage.finishReasons !== undefined) {
    span.setAttribute(GEN_AI.RESPONSE_FINISH_REASONS, [...usage.finishReasons]);
  }
}

/** Prompt and completion of a model call, in the provider's message shape. */
export interface ModelContent {
  readonly input?: unknown;
  readonly output?: unknown;
}

/** Whether model text may be put on spans; off unless configured. */
export interface ModelContentPolicy {
  readonly captureContent: boolean;
}

/**
 * Records prompt and completion as `gen_ai.input.messages` and
 * `gen_ai.output.messages` (JSON) only when `policy.captureContent` is true,
 * and does nothing otherwise: traces leave the process, so model text stays
 * out of them by default. Pass already-redacted content when enabled.
 * Returns whether anything was recorded.
 */
export function recordModelContent(
  span: Span,
  content: ModelContent,
  policy: ModelContentPolicy,
): boolean {
  if (!policy.captureContent) return false;
  if (content.input !== undefined) {
    span.setAttribute(GEN_AI.INPUT_MESSAGES, JSON.stringify(content.input));
  }
  if (content.output !== undefined) {
    span.setAttribute(GEN_AI.OUTPUT_MESSAGES, JSON.stringify(content.output));
  }
  return true;
}

/**
 * Marks a model span failed: `error.type` is the error's stable `code` when
 * it has one (Fieldwise errors do), else its class name. Only that type and
 * the error's message are recorded; messages of Fieldwise errors are safe to
 * show by contract.
 */
export function recordModelError(span: Span, error: unknown): void {
  const type = errorType(error);
  span.setAttribute(GEN_AI_COMMON.ERROR_TYPE, type);
  const message = error instanceof Error ? error.message : type;
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    if (error instanceof Error) return error.name;
  }
  return '_OTHER';
}
