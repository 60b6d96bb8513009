import { describe, expect, it } from 'vitest';
import type { ModelCallObservation } from '@fieldwise/telemetry';
import { withModelMetrics } from '../src/index.js';
import { createScriptedChatModel } from '../src/testing.js';

function recorded() {
  const observations: ModelCallObservation[] = [];
  return {
    observations,
    recorder: {
      observeModelCall: (o: ModelCallObservation) => observations.push(o),
    },
  };
}

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('withModelMetrics', () => {
  it('reports provider, model, outcome and tokens of a streamed call', async () => {
    const scripted = createScriptedChatModel({ name: 'metered' });
    scripted.enqueue([
      { type: 'text-delta', text: 'hello there' },
      {
        type: 'finish',
        reason: 'stop',
        usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 },
      },
    ]);
    const { observations, recorder } = recorded();
    const model = withModelMetrics(scripted, recorder);
    const events = [];
    for await (const event of model.stream(request)) events.push(event.type);
    expect(events.at(-1)).toBe('finish');
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({
      provider: scripted.info.provider,
      model: 'metered',
      outcome: 'ok',
      inputTokens: 12,
      outputTokens: 3,
    });
    expect(observations[0]!.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('reports the error code of a failed call and rethrows it', async () => {
    const scripted = createScriptedChatModel({ name: 'empty' });
    const { observations, recorder } = recorded();
    const model = withModelMetrics(scripted, recorder);
    await expect(model.complete(request)).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    expect(observations).toMatchObject([
      { model: 'empty', outcome: 'INTERNAL', inputTokens: 0, outputTokens: 0 },
    ]);
  });

  it('counts a stream its consumer abandoned as CANCELLED', async () => {
    const scripted = createScriptedChatModel();
    scripted.enqueue([
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: 'b' },
    ]);
    const { observations, recorder } = recorded();
    const model = withModelMetrics(scripted, recorder);
    for await (const event of model.stream(request)) {
      expect(event.type).toBe('text-delta');
      break;
    }
    expect(observations.map((o) => o.outcome)).toEqual(['CANCELLED']);
  });
});
