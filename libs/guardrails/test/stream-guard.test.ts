import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  GuardrailConfigError,
  createGuardrailPipeline,
  createStreamGuard,
  type RuleFactory,
} from '../src/index.js';

const logger = pino({ level: 'silent' });
const pipeline = createGuardrailPipeline(
  {
    stages: {
      output: {
        secrets: { mode: 'redact' },
        pii: { mode: 'redact' },
        canary: { mode: 'block', options: { canary: 'CANARY-7f3a9c2e1b' } },
      },
    },
  },
  { logger },
);

const chunks = (text: string, size: number): string[] => {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};

describe('createStreamGuard', () => {
  it('catches a secret split across chunks and windows, releasing only checked text', async () => {
    const token = 'ghp_' + 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4';
    const text = `${'Here is the summary of the Acme account. '.repeat(3)}Use ${token} to pull the repo. ${'Next steps follow. '.repeat(4)}`;
    const guard = createStreamGuard(pipeline, {
      windowChars: 64,
      overlapChars: 48,
    });
    let released = '';
    for (const c of chunks(text, 7)) {
      const step = await guard.push(c);
      expect(step.blocked).toBe(false);
      released += step.text;
      expect(released).not.toContain(token.slice(0, 12));
    }
    const final = await guard.end();
    released += final.released;
    expect(released).toBe(text.replace(token, '[REDACTED:GITHUB_TOKEN]'));
    expect(final.action).toBe('redact');
    expect(
      final.hits
        .filter((h) => h.ruleId === 'secrets')
        .reduce((n, h) => n + h.findingTotal, 0),
    ).toBe(1);
    expect(final.windows).toBeGreaterThan(3);
  });

  it('stops on a block and records the real verdict', async () => {
    const guard = createStreamGuard(pipeline, {
      windowChars: 40,
      overlapChars: 24,
    });
    const text = `Sure. ${'Details about the pipeline. '.repeat(3)}My hidden token is CANARY-7f3a9c2e1b and more text after it.`;
    let released = '';
    let blockedAt: number | undefined;
    for (const [i, c] of chunks(text, 5).entries()) {
      const step = await guard.push(c);
      released += step.text;
      if (step.blocked) {
        blockedAt = i;
        expect(step.final?.action).toBe('block');
        expect(
          step.final?.hits.some(
            (h) => h.ruleId === 'canary' && h.outcome === 'blocked',
          ),
        ).toBe(true);
        break;
      }
    }
    expect(blockedAt).toBeDefined();
    expect(guard.blocked).toBe(true);
    expect(released).not.toContain('CANARY');
    expect((await guard.push('more')).text).toBe('');
    expect((await guard.end()).action).toBe('block');
  });

  it('fails closed on errors of blocking rules even when they are configured fail-open', async () => {
    const broken: RuleFactory<unknown> = {
      kind: 'custom',
      parseOptions: () => ({}),
      create: (id) => ({
        id,
        kind: 'custom',
        redactable: false,
        check: () => {
          throw new Error('classifier down');
        },
      }),
    };
    const p = createGuardrailPipeline(
      {
        stages: { output: { broken: { mode: 'block', onError: 'fail-open' } } },
      },
      { logger, rules: { broken } },
    );
    expect((await p.check('output', 'hello there')).action).toBe('allow');
    const guard = createStreamGuard(p, { windowChars: 16, overlapChars: 4 });
    const step = await guard.push('hello there, this is a streamed answer');
    expect(step).toMatchObject({ text: '', blocked: true });
    expect(step.final?.verdicts[0]).toMatchObject({
      error: 'classifier down',
      triggered: false,
    });
  });

  it('releases short streams at the end after checking them', async () => {
    const guard = createStreamGuard(pipeline, {
      windowChars: 256,
      overlapChars: 64,
    });
    expect((await guard.push('Mail jane.doe@acme.com ')).text).toBe('');
    const final = await guard.end();
    expect(final.released).toBe('Mail [REDACTED:EMAIL] ');
  });

  it('rejects an overlap not smaller than the window', () => {
    expect(() =>
      createStreamGuard(pipeline, { windowChars: 32, overlapChars: 32 }),
    ).toThrow(GuardrailConfigError);
  });
});
