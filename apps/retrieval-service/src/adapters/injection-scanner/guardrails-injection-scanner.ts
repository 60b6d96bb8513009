import {
  createGuardrailPipeline,
  type GuardrailHit,
} from '@fieldwise/guardrails';
import type { Logger } from 'pino';
import type { InjectionScanner } from '../../domain/injection-scanner.js';
import type { InjectionVerdict } from '../../domain/model.js';

/** The guardrail rule id every ingested chunk is checked with. */
export const INJECTION_RULE_ID = 'prompt-injection';

/**
 * Options of {@link createGuardrailsInjectionScanner}: the logger the
 * guardrail pipeline reports rule failures to.
 */
export interface GuardrailsInjectionScannerOptions {
  readonly logger: Logger;
}

/**
 * The production {@link InjectionScanner}: the guardrails library's
 * `prompt-injection` rule on the `ingestion` stage in `flag` mode. Every
 * flag-mode hit marks the chunk; each reason is `<rule id>: <why>`, so a
 * caller can recover the rule ids with {@link ruleIdsOf}. A rule that fails
 * counts as a hit (the pipeline fails closed), so a chunk is never stored as
 * clean because the detector broke.
 * @throws GuardrailConfigError if the library rejects the configuration (a
 * programming error, not a run-time condition).
 */
export function createGuardrailsInjectionScanner(
  options: GuardrailsInjectionScannerOptions,
): InjectionScanner {
  const pipeline = createGuardrailPipeline(
    { stages: { ingestion: { [INJECTION_RULE_ID]: { mode: 'flag' } } } },
    { logger: options.logger.child({ component: 'guardrails' }) },
  );
  return {
    async scan(text: string): Promise<InjectionVerdict> {
      const result = await pipeline.check('ingestion', text);
      const hits = result.hits.filter((hit) => hit.outcome === 'flagged');
      return {
        flagged: hits.length > 0,
        reasons: hits.map(describeHit),
      };
    },
  };
}

function describeHit(hit: GuardrailHit): string {
  const why = hit.error ?? hit.reason ?? 'triggered';
  return `${hit.ruleId}: ${why}`;
}

/**
 * The guardrail rule ids behind a chunk's stored reasons (the part before
 * the first `:`), distinct, in first-seen order.
 */
export function ruleIdsOf(reasons: readonly string[]): string[] {
  const ids = reasons.map((reason) => {
    const colon = reason.indexOf(':');
    return (colon > 0 ? reason.slice(0, colon) : reason).trim();
  });
  return [...new Set(ids.filter((id) => id !== ''))];
}
