import {
  createStreamGuard,
  type GuardrailPipeline,
  type GuardrailResult,
  type StreamFinal,
  type StreamGuard,
} from '@fieldwise/guardrails';

/** How streamed answer text is windowed before it is checked and flushed. */
export interface StreamWindowSize {
  /** Characters checked per window. */
  readonly windowChars: number;
  /**
   * Characters held back and re-checked with the next window, so a value
   * split across deltas (a card number, an IBAN, the canary) is seen whole.
   * Must exceed the longest value a rule has to see.
   */
  readonly overlapChars: number;
}

/**
 * Windows for chat answers: small enough to stream smoothly, with an overlap
 * longer than any PII value, secret or canary the output rules look for.
 */
export const CHAT_STREAM_WINDOW: StreamWindowSize = {
  windowChars: 384,
  overlapChars: 128,
};

/** Options of {@link createOutputStreamWindow}. */
export interface OutputStreamWindowOptions extends StreamWindowSize {
  readonly pipeline: GuardrailPipeline;
  /** `METHOD /pattern`, selecting the route's guardrail overrides. */
  readonly route: string;
  readonly canary?: string;
  /**
   * Receives the stream's real verdict exactly once, when it ends, is
   * blocked, or is abandoned: every hit of every window, and all the raw
   * text the checks saw (for a redacted payload digest, never stored).
   */
  readonly onVerdict: (result: GuardrailResult, seen: string) => Promise<void>;
}

/** What a step released: checked text only, and whether the stream is blocked. */
export interface WindowStep {
  readonly text: string;
  readonly blocked: boolean;
}

/** Checks an answer stream in windows; see {@link createOutputStreamWindow}. */
export interface OutputStreamWindow {
  /** Buffers `delta`; returns the checked text that may now be sent. */
  push(delta: string): Promise<WindowStep>;
  /** Checks what is still buffered; returns the last text that may be sent. */
  end(): Promise<WindowStep>;
  /**
   * Stops without releasing what is buffered (client gone, upstream failed,
   * gateway closing); the buffered text is still checked, so the recorded
   * verdict covers everything the agent sent.
   */
  abandon(): Promise<void>;
  /** Everything released so far: the answer as the client received it. */
  readonly released: string;
  readonly blocked: boolean;
}

/**
 * Output guardrails for a streamed answer. Deltas are buffered; a window is
 * checked before any of it is released, and only checked (redacted where a
 * redact-mode rule matched) text leaves. A block releases nothing more. It
 * fails closed: a check that throws counts as a block, and block-mode rules
 * that error count as triggered. The verdict (hits of every window, or the
 * failure) is reported once through `onVerdict`, so audit records what
 * really happened to the stream.
 */
export function createOutputStreamWindow(
  options: OutputStreamWindowOptions,
): OutputStreamWindow {
  const guard: StreamGuard = createStreamGuard(options.pipeline, {
    windowChars: options.windowChars,
    overlapChars: options.overlapChars,
    stage: 'output',
    check: {
      route: options.route,
      ...(options.canary ? { canary: options.canary } : {}),
    },
  });
  let seen = '';
  let released = '';
  let blocked = false;
  let reported = false;
  let last: StreamFinal | undefined;

  const report = async (
    final: StreamFinal | undefined,
    failure?: string,
  ): Promise<void> => {
    if (reported) return;
    reported = true;
    const hits = [...(final?.hits ?? [])];
    if (failure !== undefined) {
      hits.push({
        ruleId: 'stream-check',
        kind: 'custom',
        stage: 'output',
        route: options.route,
        mode: 'block',
        outcome: 'blocked',
        reason: 'the output check failed; the stream was stopped',
        error: failure,
        findingCounts: {},
        findingTotal: 0,
      });
    }
    const action: GuardrailResult['action'] = blocked
      ? 'block'
      : (final?.action ?? 'allow');
    await options.onVerdict(
      {
        stage: 'output',
        route: options.route,
        action,
        text: released,
        verdicts: final?.verdicts ?? [],
        hits,
        edits: [],
      },
      seen,
    );
  };

  const failClosed = async (error: unknown): Promise<WindowStep> => {
    blocked = true;
    await report(last, error instanceof Error ? error.name : 'unknown');
    return { text: '', blocked: true };
  };

  return {
    get released() {
      return released;
    },
    get blocked() {
      return blocked;
    },
    async push(delta) {
      if (blocked || reported) return { text: '', blocked };
      seen += delta;
      try {
        const step = await guard.push(delta);
        released += step.text;
        if (step.blocked) {
          blocked = true;
          last = step.final;
          await report(step.final);
        }
        return { text: step.text, blocked: step.blocked };
      } catch (error) {
        return failClosed(error);
      }
    },
    async end() {
      if (blocked || reported) return { text: '', blocked };
      try {
        const final = await guard.end();
        last = final;
        if (final.action === 'block') {
          blocked = true;
          await report(final);
          return { text: '', blocked: true };
        }
        released += final.released;
        await report(final);
        return { text: final.released, blocked: false };
      } catch (error) {
        return failClosed(error);
      }
    },
    async abandon() {
      if (reported) return;
      try {
        const final = await guard.end();
        if (final.action === 'block') blocked = true;
        await report(final);
      } catch (error) {
        await failClosed(error);
      }
    },
  };
}
