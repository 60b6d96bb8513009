import { createChatModelFromConfig, type LlmConfig } from '@fieldwise/llm';
import type { Logger } from 'pino';
import type { JudgeSettings } from '../../domain/index.js';
import { LlmJudge } from './llm-judge.js';

/** The judge part of the eval configuration (see `evalJudgeEnv`). */
export interface JudgeConfig extends LlmConfig {
  readonly EVAL_JUDGE_REPEATS: number;
  readonly EVAL_JUDGE_TEMPERATURE: number;
  readonly EVAL_JUDGE_PASS_SCORE: number;
}

/**
 * The LLM-as-a-judge settings when a model endpoint is configured
 * (`OPENAI_*` or `AZURE_OPENAI_*`, chosen by `createChatModelFromConfig`),
 * or undefined when none is: runs then score deterministic metrics only.
 * Logs the choice. A half-configured provider is CONFIG_INVALID.
 */
export function createJudgeFromConfig(
  config: JudgeConfig,
  logger: Logger,
): JudgeSettings | undefined {
  const log = logger.child({ component: 'llm-judge' });
  const chat = createChatModelFromConfig(config, { logger: log });
  if (chat === undefined) {
    log.info('no judge model configured; LLM-as-a-judge is unavailable');
    return undefined;
  }
  const judge = new LlmJudge(chat, {
    temperature: config.EVAL_JUDGE_TEMPERATURE,
  });
  log.info(
    {
      model: judge.model,
      repeats: config.EVAL_JUDGE_REPEATS,
      temperature: config.EVAL_JUDGE_TEMPERATURE,
    },
    'LLM-as-a-judge available',
  );
  return {
    judge,
    repeats: config.EVAL_JUDGE_REPEATS,
    passScore: config.EVAL_JUDGE_PASS_SCORE,
  };
}
