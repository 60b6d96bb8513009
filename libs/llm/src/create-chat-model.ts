import { FieldwiseError, type FieldViolation } from '@fieldwise/errors';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { ChatModel } from './chat-model.js';
import type { LlmConfig } from './llm-env.js';
import { OpenAIChatModel, type OpenAIConnection } from './openai-chat-model.js';
import type { Sleep } from './retry-loop.js';

/** A provider that a configuration can select. */
export type ConfiguredProvider = OpenAIConnection['provider'];

/** What {@link createChatModelFromConfig} needs from its host. */
export interface ChatModelFactoryDeps {
  readonly logger: Logger;
  readonly tracer?: Tracer;
  /** Replaces the retry wait (tests). */
  readonly sleep?: Sleep;
}

const OPENAI_HOST = 'api.openai.com';

/**
 * One factory per provider, from configuration to connection: adding a
 * provider is adding an entry. Each factory reports every missing variable.
 */
const CONNECTION_FACTORIES: ReadonlyMap<
  ConfiguredProvider,
  (config: LlmConfig) => OpenAIConnection
> = new Map<ConfiguredProvider, (config: LlmConfig) => OpenAIConnection>([
  [
    'azure-openai',
    (config) => {
      const {
        AZURE_OPENAI_ENDPOINT,
        AZURE_OPENAI_API_KEY,
        AZURE_OPENAI_DEPLOYMENT,
      } = config;
      require_(
        {
          AZURE_OPENAI_ENDPOINT,
          AZURE_OPENAI_API_KEY,
          AZURE_OPENAI_DEPLOYMENT,
        },
        'Azure OpenAI',
      );
      return {
        provider: 'azure-openai',
        endpoint: AZURE_OPENAI_ENDPOINT ?? '',
        apiKey: AZURE_OPENAI_API_KEY ?? '',
        apiVersion: config.AZURE_OPENAI_API_VERSION,
        deployment: AZURE_OPENAI_DEPLOYMENT ?? '',
      };
    },
  ],
  [
    'openai-compatible',
    (config) => ({
      provider: 'openai-compatible',
      baseURL: config.OPENAI_BASE_URL ?? '',
      model: config.OPENAI_MODEL,
      ...(config.OPENAI_API_KEY !== undefined
        ? { apiKey: config.OPENAI_API_KEY }
        : {}),
    }),
  ],
  [
    'openai',
    (config) => {
      require_({ OPENAI_API_KEY: config.OPENAI_API_KEY }, 'OpenAI');
      return {
        provider: 'openai',
        apiKey: config.OPENAI_API_KEY ?? '',
        model: config.OPENAI_MODEL,
        ...(config.OPENAI_BASE_URL !== undefined
          ? { baseURL: config.OPENAI_BASE_URL }
          : {}),
        ...(config.OPENAI_ORGANIZATION !== undefined
          ? { organization: config.OPENAI_ORGANIZATION }
          : {}),
      };
    },
  ],
]);

function require_(
  values: Readonly<Record<string, string | undefined>>,
  what: string,
): void {
  const violations: FieldViolation[] = Object.entries(values)
    .filter(([, value]) => value === undefined)
    .map(([field]) => ({ field, message: `is required for ${what}` }));
  if (violations.length > 0) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      violations.map((v) => `${v.field} ${v.message}`).join('; '),
      { violations },
    );
  }
}

/**
 * Which provider a configuration selects, or `undefined` for none (the
 * offline planner). Azure wins when `AZURE_OPENAI_ENDPOINT` is set, or when
 * any other Azure variable is (so a half-done Azure setup is reported, not
 * silently replaced); then `OPENAI_BASE_URL` selects a compatible server
 * (OpenAI itself when it points at api.openai.com); then `OPENAI_API_KEY`
 * selects OpenAI.
 */
export function selectLlmProvider(
  config: LlmConfig,
): ConfiguredProvider | undefined {
  if (
    config.AZURE_OPENAI_ENDPOINT !== undefined ||
    config.AZURE_OPENAI_API_KEY !== undefined ||
    config.AZURE_OPENAI_DEPLOYMENT !== undefined
  ) {
    return 'azure-openai';
  }
  if (config.OPENAI_BASE_URL !== undefined) {
    return new URL(config.OPENAI_BASE_URL).hostname === OPENAI_HOST
      ? 'openai'
      : 'openai-compatible';
  }
  if (config.OPENAI_API_KEY !== undefined) return 'openai';
  return undefined;
}

/**
 * Builds the configured chat model, or returns `undefined` when no model
 * endpoint is configured, so the agent falls back to its offline planner.
 * Logs which adapter was chosen (provider, model, host; never the key).
 * Throws `CONFIG_INVALID` naming every missing variable when a provider is
 * only partly configured.
 */
export function createChatModelFromConfig(
  config: LlmConfig,
  deps: ChatModelFactoryDeps,
): ChatModel | undefined {
  const provider = selectLlmProvider(config);
  if (provider === undefined) {
    deps.logger.info(
      { component: 'llm' },
      'no model endpoint configured; the offline planner answers',
    );
    return undefined;
  }
  const factory = CONNECTION_FACTORIES.get(provider);
  if (factory === undefined) {
    throw new FieldwiseError('CONFIG_INVALID', `no factory for ${provider}`);
  }
  const connection = factory(config);
  const model = new OpenAIChatModel(
    connection,
    {
      logger: deps.logger,
      ...(deps.tracer !== undefined ? { tracer: deps.tracer } : {}),
      ...(deps.sleep !== undefined ? { sleep: deps.sleep } : {}),
    },
    {
      timeoutMs: config.LLM_TIMEOUT,
      retry: { maxRetries: config.LLM_MAX_RETRIES },
      captureContent: config.LLM_CAPTURE_CONTENT,
    },
  );
  deps.logger.info(
    {
      component: 'llm',
      provider,
      model: model.info.name,
      host: hostOf(connection),
      timeoutMs: config.LLM_TIMEOUT,
      maxRetries: config.LLM_MAX_RETRIES,
    },
    'model adapter chosen',
  );
  return model;
}

function hostOf(connection: OpenAIConnection): string {
  const raw =
    connection.provider === 'azure-openai'
      ? connection.endpoint
      : (connection.baseURL ?? `https://${OPENAI_HOST}/v1`);
  return URL.canParse(raw) ? new URL(raw).host : '';
}
