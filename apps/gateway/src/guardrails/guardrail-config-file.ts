import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FieldwiseError } from '@fieldwise/errors';
import {
  GuardrailConfigError,
  parseGuardrailConfig,
  type GuardrailConfig,
} from '@fieldwise/guardrails';

/** The guardrail configuration shipped with the gateway (`apps/gateway/guardrails.json`). */
export const DEFAULT_GUARDRAILS_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../guardrails.json',
);

/**
 * Reads and validates a guardrail configuration file. Throws
 * `CONFIG_INVALID` naming the file and every invalid setting.
 */
export function loadGuardrailConfigFile(path: string): GuardrailConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Cannot read the guardrail configuration ${path}`,
      { cause: error, context: { path } },
    );
  }
  try {
    return parseGuardrailConfig(raw);
  } catch (error) {
    if (error instanceof GuardrailConfigError) {
      throw new FieldwiseError('CONFIG_INVALID', `${path}: ${error.message}`, {
        violations: error.violations,
        context: { path },
      });
    }
    throw error;
  }
}
