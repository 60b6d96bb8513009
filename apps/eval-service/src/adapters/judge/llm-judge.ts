import { FieldwiseError } from '@fieldwise/errors';
import type { ChatModel } from '@fieldwise/llm';
import {
  parseJudgeReply,
  type Judge,
  type JudgePrompt,
  type JudgeVerdict,
} from '../../domain/index.js';

/** How the judge samples. */
export interface LlmJudgeOptions {
  /**
   * Sampling temperature. Above 0 on purpose: repeated verdicts on the same
   * case then show whether the rubric pins the score down (flaky verdicts).
   */
  readonly temperature: number;
  /** Upper bound of the reply; a verdict is one short JSON object. */
  readonly maxTokens?: number;
}

/**
 * A {@link Judge} over a `@fieldwise/llm` chat model: sends the rubric as
 * the system message and the case as the user message, and reads
 * `{"score": 1-5, "rationale": "…"}` from the reply. A reply without a
 * valid verdict is VALIDATION_FAILED, which the judge runner counts as an
 * invalid attempt rather than a score.
 */
export class LlmJudge implements Judge {
  readonly model: string;

  constructor(
    private readonly chat: ChatModel,
    private readonly options: LlmJudgeOptions,
  ) {
    this.model = `${chat.info.provider}/${chat.info.name}`;
  }

  async evaluate(
    prompt: JudgePrompt,
    options: { readonly signal?: AbortSignal },
  ): Promise<JudgeVerdict> {
    const result = await this.chat.complete(
      {
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        toolChoice: 'none',
        temperature: this.options.temperature,
        maxTokens: this.options.maxTokens ?? 400,
      },
      options.signal ? { signal: options.signal } : {},
    );
    const verdict = parseJudgeReply(result.text);
    if (verdict === undefined) {
      throw new FieldwiseError(
        'VALIDATION_FAILED',
        `the ${prompt.criterion} judge reply holds no {"score": 1-5} verdict`,
      );
    }
    return verdict;
  }
}
