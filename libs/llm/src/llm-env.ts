import {
  bool,
  duration,
  int,
  optionalSecret,
  optionalText,
  optionalUrl,
  text,
} from '@fieldwise/config';
import type { z } from 'zod';

const HTTP = { protocols: ['http:', 'https:'] } as const;

/**
 * The environment variables that choose and tune the language model. Spread
 * it into a service's schema: `z.object({ ...baseServiceEnv, ...llmEnv })`,
 * then pass the parsed config to `createChatModelFromConfig`. Leaving every
 * endpoint variable unset selects the offline planner.
 */
export const llmEnv = {
  OPENAI_API_KEY: optionalSecret().describe(
    'API key for OpenAI, or for an OpenAI-compatible server that needs one. Setting it (without OPENAI_BASE_URL) selects OpenAI.',
  ),
  OPENAI_BASE_URL: optionalUrl(HTTP).describe(
    'Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp server), e.g. http://localhost:11434/v1. Selects that server.',
  ),
  OPENAI_MODEL: text('gpt-4o-mini').describe(
    'Model name sent to OpenAI or the compatible server.',
  ),
  OPENAI_ORGANIZATION: optionalText().describe(
    'OpenAI organization id sent with OpenAI requests.',
  ),
  AZURE_OPENAI_ENDPOINT: optionalUrl(HTTP).describe(
    'Azure OpenAI resource endpoint, e.g. https://my-resource.openai.azure.com. Selects Azure OpenAI (takes precedence over OpenAI settings).',
  ),
  AZURE_OPENAI_API_KEY: optionalSecret().describe(
    'Azure OpenAI API key; required with AZURE_OPENAI_ENDPOINT.',
  ),
  AZURE_OPENAI_API_VERSION: text('2024-10-21').describe(
    'Azure OpenAI REST API version (the api-version query parameter).',
  ),
  AZURE_OPENAI_DEPLOYMENT: optionalText().describe(
    'Azure OpenAI deployment name; required with AZURE_OPENAI_ENDPOINT.',
  ),
  LLM_TIMEOUT: duration('60s', { min: '100ms', max: '15m' }).describe(
    'Timeout of one model call, retries and the whole streamed answer included.',
  ),
  LLM_MAX_RETRIES: int(0, 10, 3).describe(
    'Retries of a model call after 429, 5xx or a lost connection, before any output was streamed.',
  ),
  LLM_CAPTURE_CONTENT: bool(false).describe(
    'Put prompts and completions on trace spans. Off by default: traces leave the process.',
  ),
} as const;

/** The parsed values of {@link llmEnv}, as found in a service's config. */
export type LlmConfig = Readonly<z.output<z.ZodObject<typeof llmEnv>>>;
