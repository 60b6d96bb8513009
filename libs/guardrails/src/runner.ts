import type { Logger } from 'pino';
import type {
  FailMode,
  Finding,
  Rule,
  RuleCheckResult,
  RuleContext,
  Verdict,
} from './types.js';

/** How the runner treats one rule. */
export interface RunSettings {
  readonly onError: FailMode;
  readonly timeoutMs: number;
}

class RuleTimeoutError extends Error {}

function isPromiseLike(value: unknown): value is PromiseLike<RuleCheckResult> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function validResult(value: unknown): value is RuleCheckResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { triggered?: unknown; findings?: unknown };
  return (
    typeof r.triggered === 'boolean' &&
    (r.findings === undefined || Array.isArray(r.findings))
  );
}

/**
 * Runs one rule and always returns a verdict: it times the check, applies the
 * timeout to asynchronous checks (aborting their signal), and turns an
 * exception, a timeout or a malformed result into an error verdict whose
 * `triggered` follows the fail mode. Synchronous checks cannot be pre-empted;
 * they are linear-time by construction instead.
 */
export async function runRule(
  rule: Rule,
  settings: RunSettings,
  text: string,
  ctx: Omit<RuleContext, 'signal'> & { readonly signal?: AbortSignal },
  logger: Logger,
): Promise<Verdict> {
  const started = performance.now();
  // The signal is made when a rule first reads it: synchronous rules (most)
  // never do, and creating signals costs more than a short check.
  let controller: AbortController | undefined;
  let signal: AbortSignal | undefined;
  let timedOut: RuleTimeoutError | undefined;
  const ruleCtx = Object.defineProperty({ ...ctx }, 'signal', {
    enumerable: true,
    get(): AbortSignal {
      if (!signal) {
        controller = new AbortController();
        signal = ctx.signal
          ? AbortSignal.any([ctx.signal, controller.signal])
          : controller.signal;
        // Read only after the deadline passed: already aborted.
        if (timedOut) controller.abort(timedOut);
      }
      return signal;
    },
  }) as RuleContext;
  let timer: NodeJS.Timeout | undefined;
  try {
    let result: unknown = rule.check(text, ruleCtx);
    if (isPromiseLike(result)) {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const timeout = new RuleTimeoutError(
            `timed out after ${settings.timeoutMs} ms`,
          );
          // Reject first so the timeout, not the rule's reaction to the abort, is what is reported.
          reject(timeout);
          timedOut = timeout;
          controller?.abort(timeout);
        }, settings.timeoutMs);
      });
      result = await Promise.race([result, deadline]);
    }
    if (!validResult(result))
      throw new Error('rule returned a malformed result');
    const findings: readonly Finding[] = result.findings ?? [];
    return {
      ruleId: rule.id,
      triggered: result.triggered,
      findings,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      ...(result.score !== undefined ? { score: result.score } : {}),
      durationMs: performance.now() - started,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const closed = settings.onError === 'fail-closed';
    logger.warn(
      { ruleId: rule.id, error: message, failMode: settings.onError },
      'guardrail rule failed',
    );
    return {
      ruleId: rule.id,
      triggered: closed,
      findings: [],
      error: message,
      reason: closed
        ? 'rule failed; failing closed'
        : 'rule failed; failing open',
      durationMs: performance.now() - started,
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
