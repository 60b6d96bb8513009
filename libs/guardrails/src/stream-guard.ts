import { z } from 'zod';
import { GuardrailConfigError } from './errors.js';
import type { CheckOptions, GuardrailPipeline } from './pipeline.js';
import { applyEdits } from './redaction.js';
import type {
  GuardrailHit,
  GuardrailResult,
  GuardrailStage,
  TextEdit,
  Verdict,
} from './types.js';

const streamOptionsSchema = z
  .object({
    windowChars: z.number().int().min(16).max(1_000_000),
    overlapChars: z.number().int().min(0),
  })
  .refine((o) => o.overlapChars < o.windowChars, {
    message: 'overlapChars must be smaller than windowChars',
    path: ['overlapChars'],
  });

/** Options of {@link createStreamGuard}. */
export interface StreamGuardOptions {
  /** Characters checked per window. */
  readonly windowChars: number;
  /** Characters held back and re-checked with the next window, so a value split across chunks is seen whole. */
  readonly overlapChars: number;
  /** The stage to check; `output` by default. */
  readonly stage?: GuardrailStage;
  /** Route, system prompt and canary passed to every window check. */
  readonly check?: Omit<CheckOptions, 'failClosedOnBlockingErrors'>;
}

/** The stream's outcome, with every window's real verdicts. */
export interface StreamFinal {
  readonly action: GuardrailResult['action'];
  /** Text released by this last step (the checked tail on `end`, nothing after a block). */
  readonly released: string;
  readonly verdicts: readonly Verdict[];
  /** Hits of all windows; a finding in an overlap is counted in the window that released it. */
  readonly hits: readonly GuardrailHit[];
  readonly windows: number;
}

/** What one `push` released downstream. */
export interface StreamStep {
  /** Checked (and redacted where configured) text safe to send on; may be empty while buffering. */
  readonly text: string;
  readonly blocked: boolean;
  /** Present once the stream was blocked: the final verdict. */
  readonly final?: StreamFinal;
}

/** A guard over streamed output; push deltas in order, then call `end`. */
export interface StreamGuard {
  push(delta: string): Promise<StreamStep>;
  end(): Promise<StreamFinal>;
  readonly blocked: boolean;
}

/**
 * Checks streamed text in windows before releasing it. Text is buffered until
 * a window is full, the window is checked, and only its first
 * `windowChars - overlapChars` characters are released (never cutting through
 * a finding); the rest is re-checked with the next window. Errors of
 * block-mode rules fail closed. After a block, nothing more is released and
 * further pushes are ignored.
 */
export function createStreamGuard(
  pipeline: GuardrailPipeline,
  options: StreamGuardOptions,
): StreamGuard {
  const parsed = streamOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new GuardrailConfigError(
      parsed.error.issues.map((i) => ({
        field: i.path.join('.'),
        message: i.message,
      })),
    );
  }
  const { windowChars, overlapChars } = parsed.data;
  const stage = options.stage ?? 'output';
  const checkOptions: CheckOptions = {
    ...options.check,
    failClosedOnBlockingErrors: true,
  };
  let pending = '';
  let blocked = false;
  let ended = false;
  let redacted = false;
  let windows = 0;
  const verdicts: Verdict[] = [];
  const hits: GuardrailHit[] = [];
  let final: StreamFinal | undefined;

  const record = (result: GuardrailResult, releasedUpTo: number): void => {
    windows++;
    verdicts.push(...result.verdicts);
    for (const hit of result.hits) {
      if (hit.outcome === 'blocked') {
        hits.push(hit);
        continue;
      }
      const verdict = result.verdicts.find((v) => v.ruleId === hit.ruleId);
      const counted = (verdict?.findings ?? []).filter(
        (f) => f.span.start < releasedUpTo,
      );
      if (counted.length === 0) continue;
      const findingCounts: Record<string, number> = {};
      for (const f of counted)
        findingCounts[f.type] = (findingCounts[f.type] ?? 0) + 1;
      hits.push({ ...hit, findingCounts, findingTotal: counted.length });
    }
    if (result.edits.some((e) => e.span.start < releasedUpTo)) redacted = true;
  };
  const finish = (released: string): StreamFinal => {
    final = {
      action: blocked ? 'block' : redacted ? 'redact' : 'allow',
      released,
      verdicts,
      hits,
      windows,
    };
    return final;
  };

  return {
    get blocked() {
      return blocked;
    },
    async push(delta: string): Promise<StreamStep> {
      if (blocked || ended)
        return { text: '', blocked, ...(final ? { final } : {}) };
      pending += delta;
      let released = '';
      while (pending.length >= windowChars) {
        const window = pending.slice(0, windowChars);
        const result = await pipeline.check(stage, window, checkOptions);
        if (result.action === 'block') {
          blocked = true;
          record(result, window.length);
          pending = '';
          return { text: released, blocked: true, final: finish('') };
        }
        const cut = safeCut(windowChars - overlapChars, result.edits);
        record(result, cut);
        released += applyEdits(
          window.slice(0, cut),
          result.edits.filter((e) => e.span.end <= cut),
        );
        pending = pending.slice(cut);
      }
      return { text: released, blocked: false };
    },
    async end(): Promise<StreamFinal> {
      if (final) return final;
      ended = true;
      if (pending.length === 0) return finish('');
      const result = await pipeline.check(stage, pending, checkOptions);
      record(result, pending.length);
      pending = '';
      if (result.action === 'block') {
        blocked = true;
        return finish('');
      }
      return finish(result.text);
    },
  };
}

// Never release part of a finding: move the cut before it, or past it when it starts the window.
function safeCut(cut: number, edits: readonly TextEdit[]): number {
  for (const e of edits) {
    if (e.span.start < cut && cut < e.span.end)
      return e.span.start > 0 ? e.span.start : e.span.end;
  }
  return cut;
}
