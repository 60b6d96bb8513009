export {
  createGuardrailsInjectionScanner,
  INJECTION_RULE_ID,
  ruleIdsOf,
  type GuardrailsInjectionScannerOptions,
} from './guardrails-injection-scanner.js';
