import { FieldwiseError } from '@fieldwise/errors';
import type { InjectionScanner } from '../domain/injection-scanner.js';

interface RuleLike {
  check(
    text: string,
    ctx: unknown,
  ):
    | { triggered: boolean; reason?: string }
    | Promise<{ triggered: boolean; reason?: string }>;
}

interface GuardrailsModule {
  PromptInjectionRule: new (id: string, options: unknown) => RuleLike;
  promptInjectionOptionsSchema: { parse(value: unknown): unknown };
}

/**
 * Binds the InjectionScanner port to libs/guardrails' prompt-injection rule
 * for the CLI. The library is loaded at run time (it is built separately and
 * not yet a declared dependency of this service); without it ingestion
 * refuses to run rather than store unscanned chunks.
 */
export async function loadGuardrailsScanner(): Promise<InjectionScanner> {
  const specifier = '@fieldwise/guardrails';
  let module: GuardrailsModule;
  try {
    module = (await import(specifier)) as GuardrailsModule;
  } catch (cause) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      'the guardrails library is not built: run `npx nx run @fieldwise/guardrails:build` first',
      { cause },
    );
  }
  const rule = new module.PromptInjectionRule(
    'prompt-injection',
    module.promptInjectionOptionsSchema.parse({}),
  );
  return {
    async scan(text) {
      const result = await rule.check(text, { stage: 'ingestion' });
      return {
        flagged: result.triggered,
        reasons: result.triggered ? [result.reason ?? 'prompt injection'] : [],
      };
    },
  };
}
