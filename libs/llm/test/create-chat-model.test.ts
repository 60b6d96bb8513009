import { loadConfig } from '@fieldwise/config';
import { FieldwiseError } from '@fieldwise/errors';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createChatModelFromConfig,
  llmEnv,
  selectLlmProvider,
  type LlmConfig,
} from '../src/index.js';
import {
  scripted,
  startScriptedOpenAIServer,
  type ScriptedOpenAIServer,
} from '../src/testing.js';
import { drain, silentLogger } from './helpers.js';

const schema = z.object({ ...llmEnv });
const configOf = (env: Record<string, string>): LlmConfig =>
  loadConfig(schema, env);

let server: ScriptedOpenAIServer;
beforeAll(async () => {
  server = await startScriptedOpenAIServer();
});
afterAll(() => server.close());

describe('llmEnv', () => {
  it('has defaults for everything but the endpoints', () => {
    expect(configOf({})).toEqual({
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
      OPENAI_MODEL: 'gpt-4o-mini',
      OPENAI_ORGANIZATION: undefined,
      AZURE_OPENAI_ENDPOINT: undefined,
      AZURE_OPENAI_API_KEY: undefined,
      AZURE_OPENAI_API_VERSION: '2024-10-21',
      AZURE_OPENAI_DEPLOYMENT: undefined,
      LLM_TIMEOUT: 60_000,
      LLM_MAX_RETRIES: 3,
      LLM_CAPTURE_CONTENT: false,
    });
  });

  it('rejects bad values without echoing the key', () => {
    const failure = (() => {
      try {
        configOf({
          OPENAI_BASE_URL: 'ftp://x',
          LLM_TIMEOUT: 'forever',
          LLM_MAX_RETRIES: '99',
          OPENAI_API_KEY: 'sk-abcdef',
        });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(FieldwiseError);
    const error = failure as FieldwiseError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.violations.map((v) => v.field).sort()).toEqual([
      'LLM_MAX_RETRIES',
      'LLM_TIMEOUT',
      'OPENAI_BASE_URL',
    ]);
    expect(error.message).not.toContain('sk-abcdef');
  });
});

describe('selectLlmProvider', () => {
  it.each([
    [{}, undefined],
    [{ OPENAI_API_KEY: 'sk-1' }, 'openai'],
    [{ OPENAI_BASE_URL: 'http://localhost:11434/v1' }, 'openai-compatible'],
    [
      { OPENAI_BASE_URL: 'https://api.openai.com/v1', OPENAI_API_KEY: 'sk-1' },
      'openai',
    ],
    [
      {
        AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com',
        OPENAI_API_KEY: 'sk-1',
      },
      'azure-openai',
    ],
    [{ AZURE_OPENAI_DEPLOYMENT: 'd' }, 'azure-openai'],
  ] as const)('%j selects %s', (env, provider) => {
    expect(selectLlmProvider(configOf(env))).toBe(provider);
  });
});

describe('createChatModelFromConfig', () => {
  it('returns undefined without an endpoint and says so in the log', () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(line) },
    );
    expect(createChatModelFromConfig(configOf({}), { logger })).toBeUndefined();
    expect(lines.join('')).toMatch(/offline planner/);
  });

  it('builds a compatible-server model that works and logs the choice without the key', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(line) },
    );
    const model = createChatModelFromConfig(
      configOf({
        OPENAI_BASE_URL: server.baseURL,
        OPENAI_MODEL: 'qwen2.5',
        OPENAI_API_KEY: 'sk-secret-key',
      }),
      { logger },
    );
    expect(model?.info).toEqual({
      provider: 'openai-compatible',
      name: 'qwen2.5',
      offline: false,
    });
    const chosen = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(chosen).toMatchObject({
      provider: 'openai-compatible',
      model: 'qwen2.5',
      msg: 'model adapter chosen',
    });
    expect(lines.join('')).not.toContain('sk-secret-key');
    server.enqueue(scripted.textStream(['hi']));
    if (model === undefined) throw new Error('expected a model');
    const events = await drain(
      model.stream({ messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(events[0]).toEqual({ type: 'text-delta', text: 'hi' });
    expect(server.requests.at(-1)?.body?.model).toBe('qwen2.5');
  });

  it('builds an Azure model on the deployment', () => {
    const model = createChatModelFromConfig(
      configOf({
        AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com',
        AZURE_OPENAI_API_KEY: 'k',
        AZURE_OPENAI_DEPLOYMENT: 'gpt4o-prod',
      }),
      { logger: silentLogger },
    );
    expect(model?.info).toEqual({
      provider: 'azure-openai',
      name: 'gpt4o-prod',
      offline: false,
    });
  });

  it('names every missing variable of a half-configured Azure setup', () => {
    let failure: unknown;
    try {
      createChatModelFromConfig(configOf({ AZURE_OPENAI_DEPLOYMENT: 'd' }), {
        logger: silentLogger,
      });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(FieldwiseError);
    expect((failure as FieldwiseError).code).toBe('CONFIG_INVALID');
    expect((failure as FieldwiseError).violations.map((v) => v.field)).toEqual([
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_API_KEY',
    ]);
  });

  it('requires a key for api.openai.com', () => {
    expect(() =>
      createChatModelFromConfig(
        configOf({ OPENAI_BASE_URL: 'https://api.openai.com/v1' }),
        {
          logger: silentLogger,
        },
      ),
    ).toThrow(/OPENAI_API_KEY is required/);
  });
});
