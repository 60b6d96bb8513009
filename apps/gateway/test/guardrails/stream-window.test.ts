import { describe, expect, it } from 'vitest';
import {
  createGuardrailPipeline,
  type GuardrailPipeline,
  type GuardrailResult,
} from '@fieldwise/guardrails';
import { createOutputStreamWindow } from '../../src/guardrails/stream-window.js';

const CANARY = 'CANARY-0a1b2c3d4e5f';
const pipeline = createGuardrailPipeline({
  stages: {
    output: {
      canary: { mode: 'block' },
      secrets: { mode: 'redact' },
    },
  },
});

function windowOver(checker: GuardrailPipeline) {
  const verdicts: { result: GuardrailResult; seen: string }[] = [];
  const guard = createOutputStreamWindow({
    pipeline: checker,
    route: 'POST /v1/chat',
    canary: CANARY,
    windowChars: 64,
    overlapChars: 32,
    onVerdict: (result, seen) => {
      verdicts.push({ result, seen });
      return Promise.resolve();
    },
  });
  return { guard, verdicts };
}

describe('output stream windows', () => {
  it('releases only checked text and reports one allow verdict at the end', async () => {
    const { guard, verdicts } = windowOver(pipeline);
    const text = 'Acme grew twelve percent this quarter on Streaming. '.repeat(
      4,
    );
    let out = '';
    let pushed = 0;
    for (let i = 0; i < text.length; i += 10) {
      const delta = text.slice(i, i + 10);
      pushed += delta.length;
      out += (await guard.push(delta)).text;
      // The overlap is always held back for the next window's check.
      expect(pushed - out.length).toBeGreaterThanOrEqual(Math.min(32, pushed));
      expect(text.startsWith(out)).toBe(true);
    }
    out += (await guard.end()).text;
    expect(out).toBe(text);
    expect(guard.released).toBe(text);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.result.action).toBe('allow');
    expect(verdicts[0]?.seen).toBe(text);
  });

  it('blocks a canary split across pushes before any of its window is released', async () => {
    const { guard, verdicts } = windowOver(pipeline);
    const steps = [];
    for (const delta of [
      'All good so far with the account. ',
      `Marker CANARY-0a1b`,
      '2c3d4e5f leaked here, and then a lot more text follows it.',
    ])
      steps.push(await guard.push(delta));
    expect(steps.some((s) => s.blocked)).toBe(true);
    const released = steps.map((s) => s.text).join('');
    expect(released).not.toContain('CANARY');
    expect(await guard.push('more')).toEqual({ text: '', blocked: true });
    expect(await guard.end()).toEqual({ text: '', blocked: true });
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.result.action).toBe('block');
    expect(verdicts[0]?.result.hits.map((h) => [h.ruleId, h.outcome])).toEqual([
      ['canary', 'blocked'],
    ]);
  });

  it('redacts a secret that straddles a window edge', async () => {
    const { guard, verdicts } = windowOver(pipeline);
    const text = `${'x'.repeat(50)} AKIALGST7U4B5LAO727X and the rest of it.`;
    let out = '';
    for (const c of text) out += (await guard.push(c)).text;
    out += (await guard.end()).text;
    expect(out).not.toContain('AKIALGST7U');
    expect(out).toContain('[REDACTED:AWS_ACCESS_KEY_ID');
    expect(verdicts[0]?.result.action).toBe('redact');
  });

  it('fails closed when a check throws, and records the failure as a block', async () => {
    const broken = {
      check: () => Promise.reject(new TypeError('classifier down')),
    } as unknown as GuardrailPipeline;
    const { guard, verdicts } = windowOver(broken);
    const step = await guard.push('y'.repeat(100));
    expect(step).toEqual({ text: '', blocked: true });
    expect(guard.released).toBe('');
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.result.action).toBe('block');
    expect(verdicts[0]?.result.hits[0]).toMatchObject({
      ruleId: 'stream-check',
      outcome: 'blocked',
      error: 'TypeError',
    });
  });

  it('records the verdict of an abandoned stream, buffered text included, releasing nothing more', async () => {
    const { guard, verdicts } = windowOver(pipeline);
    await guard.push(`short ${CANARY}`);
    await guard.abandon();
    expect(guard.released).toBe('');
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.result.action).toBe('block');
    await guard.abandon();
    expect(verdicts).toHaveLength(1);
  });
});
