import type { InjectionScanner } from '../../src/domain/injection-scanner.js';
import type { InjectionVerdict } from '../../src/domain/model.js';

const SIGNALS: readonly {
  readonly reason: string;
  readonly pattern: RegExp;
}[] = [
  {
    reason: 'addresses an AI assistant',
    pattern:
      /\b(ai|language model|llm)\s+assistants?\b|\bassistants? (processing|summari[sz]ing)\b/i,
  },
  {
    reason: 'overrides prior instructions',
    pattern:
      /\bignore (all |any |your )?(previous|prior|earlier) instructions\b/i,
  },
  {
    reason: 'claims elevated mode',
    pattern: /\b(administrator|developer|god) mode\b|\bsystem notice\b/i,
  },
  {
    reason: 'asks to reveal the system prompt',
    pattern: /\breveal (your|the) system prompt\b/i,
  },
  {
    reason: 'asks to exfiltrate by e-mail',
    pattern:
      /\b(email|e-mail|forward|send)\b[^.]{0,80}\b[\w.+-]+@[\w-]+\.[\w.-]+/i,
  },
  {
    reason: 'asks to hide an action from the user',
    pattern: /\b(do not|don't) (mention|tell)\b[^.]{0,40}\buser\b/i,
  },
  {
    reason: 'asks for bulk destructive CRM changes',
    pattern:
      /\b(update|set|change)\b[^.]{0,40}\b(all|every)\b[^.]{0,40}\bopportunit(y|ies)\b/i,
  },
];

/**
 * A small but real pattern-based scanner for tests: an instruction counts as
 * an injection when it both addresses an AI assistant (or claims a special
 * mode) and asks for an action. The service binds the guardrails library's
 * detector in production.
 */
export class PatternInjectionScanner implements InjectionScanner {
  scan(text: string): InjectionVerdict {
    const reasons = SIGNALS.filter((signal) => signal.pattern.test(text)).map(
      (signal) => signal.reason,
    );
    const addressed =
      reasons.includes('addresses an AI assistant') ||
      reasons.includes('claims elevated mode');
    const flagged = addressed && reasons.length >= 2;
    return { flagged, reasons: flagged ? reasons : [] };
  }
}
