import { createGuardrailPipeline } from '@fieldwise/guardrails';
import type { Logger } from 'pino';

/**
 * The agent's guardrail configuration: prompt-injection detection flags
 * tool output and retrieved text (the loop withholds what it flags), and
 * PII and secrets are redacted from everything stored (the `output` stage
 * here is the one redaction path of stored text).
 */
export const AGENT_GUARDRAILS_CONFIG = {
  stages: {
    toolOutput: { 'prompt-injection': { mode: 'flag' } },
    output: { pii: { mode: 'redact' }, secrets: { mode: 'redact' } },
  },
} as const;

/** Creates the agent's guardrail pipeline from {@link AGENT_GUARDRAILS_CONFIG}. */
export function createAgentGuardrails(logger?: Logger) {
  return createGuardrailPipeline(
    AGENT_GUARDRAILS_CONFIG,
    logger ? { logger } : {},
  );
}

/**
 * A redactor over the pipeline's `output` stage: PII and secrets become
 * typed placeholders. Text that cannot be made safe is replaced whole.
 */
export function createTextRedactor(
  pipeline: ReturnType<typeof createAgentGuardrails>,
): (text: string) => Promise<string> {
  return async (text) => {
    if (text === '') return text;
    const result = await pipeline.check('output', text);
    if (result.action === 'block') return '[REDACTED]';
    return result.text;
  };
}
