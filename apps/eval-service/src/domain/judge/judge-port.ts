import type { JudgeCriterion } from '../model.js';

/** A rubric prompt for one criterion, ready for a chat model. */
export interface JudgePrompt {
  readonly criterion: JudgeCriterion;
  readonly system: string;
  readonly user: string;
}

/** A judge's verdict as returned; validated by the caller (score must be an integer 1–5). */
export interface JudgeVerdict {
  readonly score: number;
  readonly rationale: string;
}

/**
 * An LLM-as-a-judge. `evaluate` sends one rubric prompt and returns the
 * model's verdict; it may throw (the caller counts the attempt invalid).
 * The production judge wraps `@fieldwise/llm`; tests use a scripted judge.
 */
export interface Judge {
  /** Model the judge uses, for reports. */
  readonly model: string;
  evaluate(
    prompt: JudgePrompt,
    options: { readonly signal?: AbortSignal },
  ): Promise<JudgeVerdict>;
}
