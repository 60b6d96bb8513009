/** One invalid setting, named by its path in the configuration. */
export interface GuardrailConfigViolation {
  readonly field: string;
  readonly message: string;
}

/**
 * The guardrail configuration is invalid. `code` matches the `CONFIG_INVALID`
 * code of the Fieldwise error catalogue so callers can map it without this
 * library depending on `@fieldwise/errors`.
 */
export class GuardrailConfigError extends Error {
  override readonly name = 'GuardrailConfigError';
  readonly code = 'CONFIG_INVALID' as const;
  readonly violations: readonly GuardrailConfigViolation[];

  constructor(violations: readonly GuardrailConfigViolation[]) {
    super(
      `Invalid guardrail configuration: ${violations
        .map((v) => `${v.field || '(root)'}: ${v.message}`)
        .join('; ')}`,
    );
    this.violations = Object.freeze([...violations]);
  }
}

/**
 * A check was called with bad input (not a string, unknown stage). `code`
 * matches the catalogue's `VALIDATION_FAILED`.
 */
export class GuardrailInputError extends Error {
  override readonly name = 'GuardrailInputError';
  readonly code = 'VALIDATION_FAILED' as const;
}
