export type {
  AssistantToolCall,
  ChatFinishReason,
  ChatMessage,
  ChatModel,
  ChatModelCallOptions,
  ChatModelEvent,
  ChatModelInfo,
  ChatModelProvider,
  ChatModelRequest,
  ChatModelResult,
  ChatTool,
  ChatToolCall,
  ChatToolCallError,
  ChatToolChoice,
  ChatUsage,
  FinishEvent,
  JsonSchema,
  TextDeltaEvent,
  ToolCallErrorEvent,
  ToolCallEvent,
} from './chat-model.js';
export {
  buildChatModelResult,
  collectChatModelResult,
} from './collect-result.js';
export {
  createChatModelFromConfig,
  selectLlmProvider,
  type ChatModelFactoryDeps,
  type ConfiguredProvider,
} from './create-chat-model.js';
export { llmEnv, type LlmConfig } from './llm-env.js';
export {
  OpenAIChatModel,
  type OpenAIChatModelDeps,
  type OpenAIChatModelOptions,
  type OpenAIConnection,
} from './openai-chat-model.js';
export { validateChatModelRequest } from './request-validation.js';
export { abortableSleep, type Sleep } from './retry-loop.js';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  retryAfterMs,
  type RetryPolicy,
} from './retry-policy.js';
export {
  ToolCallAssembler,
  finishToolCall,
  type ToolCallDelta,
} from './tool-call-assembler.js';
export {
  chatToolFromZod,
  toolParametersSchema,
  type ZodToolDefinition,
} from './tool-schema.js';
export { estimateInputTokens, estimateOutputTokens } from './usage-estimate.js';
export { withModelMetrics, type ModelCallRecorder } from './model-metrics.js';
