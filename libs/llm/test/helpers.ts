import { FieldwiseError } from '@fieldwise/errors';
import { pino } from 'pino';
import {
  OpenAIChatModel,
  type ChatModelEvent,
  type OpenAIChatModelOptions,
  type OpenAIConnection,
  type Sleep,
} from '../src/index.js';
import type { ScriptedOpenAIServer } from '../src/testing.js';

export const silentLogger = pino({ level: 'silent' });

/** A sleep that records each requested wait and returns at once (still abortable). */
export function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      return signal.aborted
        ? Promise.reject(new Error('aborted'))
        : Promise.resolve();
    },
  };
}

/** An adapter for OpenAI-compatible servers pointed at the scripted server. */
export function compatibleModel(
  server: ScriptedOpenAIServer,
  options: OpenAIChatModelOptions = {},
  sleep: Sleep = recordingSleep().sleep,
  connection: Partial<
    Extract<OpenAIConnection, { provider: 'openai-compatible' }>
  > = {},
): OpenAIChatModel {
  return new OpenAIChatModel(
    {
      provider: 'openai-compatible',
      baseURL: server.baseURL,
      model: 'llama-3.1-8b',
      apiKey: 'sk-test',
      ...connection,
    },
    { logger: silentLogger, sleep, random: () => 0.5 },
    { timeoutMs: 10_000, ...options },
  );
}

/** Reads a whole stream into an array. */
export async function drain(
  events: AsyncIterable<ChatModelEvent>,
): Promise<ChatModelEvent[]> {
  const seen: ChatModelEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

/** Runs `action` and returns the FieldwiseError it rejects with (fails otherwise). */
export async function fieldwiseErrorOf(
  action: () => Promise<unknown>,
): Promise<FieldwiseError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof FieldwiseError) return error;
    throw new Error(`expected a FieldwiseError, got ${String(error)}`);
  }
  throw new Error('expected the action to fail');
}

export const USER_ONLY = {
  messages: [
    { role: 'system', content: 'You are a sales assistant.' },
    { role: 'user', content: 'Hello there' },
  ],
} as const;
