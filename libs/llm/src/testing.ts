export {
  createScriptedChatModel,
  type ScriptedChatModel,
  type ScriptedTurn,
} from './scripted-chat-model.js';
export {
  startScriptedOpenAIServer,
  type ChatCompletionRequestBody,
  type ReceivedRequest,
  type ScriptedHandler,
  type ScriptedOpenAIServer,
} from './scripted-openai-server.js';
export {
  scripted,
  type ScriptedErrorOptions,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedUsage,
  type StreamFaults,
  type TurnOptions,
} from './scripted-responses.js';
