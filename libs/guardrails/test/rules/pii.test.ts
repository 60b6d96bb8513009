import { describe, expect, it } from 'vitest';
import {
  PiiRule,
  SecretsRule,
  applyEdits,
  cardBrand,
  ibanValid,
  luhnValid,
  piiOptionsSchema,
  secretsOptionsSchema,
  ssnValid,
  type Finding,
} from '../../src/index.js';
import { loadFixture, pct } from '../helpers/fixtures.js';

const pii = new PiiRule('pii', piiOptionsSchema.parse({}));
const secrets = new SecretsRule('secrets', secretsOptionsSchema.parse({}));
const rows = loadFixture('pii.jsonl');

const redact = (
  text: string,
  rules: { check(t: string): { findings?: readonly Finding[] } }[] = [
    pii,
    secrets,
  ],
): string => {
  const findings = rules.flatMap((r) => r.check(text).findings ?? []);
  findings.sort(
    (a, b) => a.span.start - b.span.start || b.span.end - a.span.end,
  );
  const edits: { span: Finding['span']; replacement: string }[] = [];
  for (const f of findings) {
    const last = edits.at(-1);
    if (last && f.span.start < last.span.end) {
      last.span = {
        start: last.span.start,
        end: Math.max(last.span.end, f.span.end),
      };
      continue;
    }
    edits.push({ span: f.span, replacement: f.replacement ?? '' });
  }
  return applyEdits(text, edits);
};

describe('PII and secret detection on the labelled set', () => {
  const positives = rows.filter((r) => r.label === 'pii');
  const kinds = [...new Set(positives.map((r) => r.kind))];

  it('covers every entity type with several examples', () => {
    expect(kinds).toEqual(
      expect.arrayContaining([
        'EMAIL',
        'PHONE',
        'CREDIT_CARD',
        'IBAN',
        'US_SSN',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'GITHUB_TOKEN',
        'SLACK_TOKEN',
        'OPENAI_API_KEY',
        'STRIPE_KEY',
        'GOOGLE_API_KEY',
        'JWT',
        'PRIVATE_KEY',
        'SECRET_ASSIGNMENT',
      ]),
    );
    for (const kind of kinds)
      expect(
        positives.filter((r) => r.kind === kind).length,
      ).toBeGreaterThanOrEqual(3);
  });

  it.each(kinds)(
    'recall of %s is at least 0.95 and each is replaced by its typed placeholder',
    (kind) => {
      const cases = positives.filter((r) => r.kind === kind);
      const missed = cases.filter((r) => {
        const out = redact(r.text);
        return out.includes(r.value!) || !out.includes(`[REDACTED:${kind}]`);
      });
      const recall = (cases.length - missed.length) / cases.length;
      expect(
        recall,
        `${kind} recall ${pct(cases.length - missed.length, cases.length)}; missed: ${missed.map((m) => m.text.slice(0, 60)).join(' | ')}`,
      ).toBeGreaterThanOrEqual(0.95);
    },
  );

  it('redacts none of the look-alikes', () => {
    const lookalikes = rows.filter((r) => r.label === 'lookalike');
    expect(lookalikes.length).toBeGreaterThanOrEqual(25);
    const redacted = lookalikes
      .filter((r) => redact(r.text) !== r.text)
      .map((r) => `${r.kind}: ${redact(r.text)}`);
    expect(redacted, `look-alikes redacted: ${redacted.length}`).toEqual([]);
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    for (const r of positives) {
      const once = redact(r.text);
      expect(redact(once)).toBe(once);
    }
  });

  it('never puts the clear value in a finding preview', () => {
    for (const r of positives) {
      for (const f of [
        ...(pii.check(r.text).findings ?? []),
        ...(secrets.check(r.text).findings ?? []),
      ]) {
        expect(f.preview).not.toContain(r.value!);
      }
    }
  });
});

describe('placeholders', () => {
  it('uses a stable keyed hash suffix when a key is configured', () => {
    const keyed = new PiiRule(
      'pii',
      piiOptionsSchema.parse({}),
      'a-redaction-key-of-32-characters',
    );
    const a = redact('mail jane.doe@acme.com and jane.doe@acme.com', [keyed]);
    const match =
      /\[REDACTED:EMAIL:([0-9a-f]{8})\] and \[REDACTED:EMAIL:\1\]/.exec(a);
    expect(match, a).not.toBeNull();
    expect(redact('mail bob@acme.com', [keyed])).not.toContain(match![1]);
    expect(redact(a, [keyed])).toBe(a);
  });
});

describe('checksums', () => {
  it('validates Luhn and IIN ranges', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(cardBrand('378282246310005')).toBe('amex');
    expect(cardBrand('9111111111111111')).toBeUndefined();
  });

  it('validates IBAN length per country and mod-97', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('XX89370400440532013000')).toBe(false);
  });

  it('excludes SSN ranges never issued', () => {
    expect(ssnValid('536', '22', '1934')).toBe(true);
    for (const [a, g, s] of [
      ['000', '12', '3456'],
      ['666', '12', '3456'],
      ['912', '34', '5678'],
      ['123', '00', '4567'],
      ['123', '45', '0000'],
    ] as const) {
      expect(ssnValid(a, g, s)).toBe(false);
    }
  });

  it('detects IP addresses only when enabled, and not version strings', () => {
    const withIp = new PiiRule(
      'pii',
      piiOptionsSchema.parse({ entities: ['IP_ADDRESS'] }),
    );
    expect(
      withIp.check('server 10.20.30.40 is down').findings?.map((f) => f.type),
    ).toEqual(['IP_ADDRESS']);
    expect(withIp.check('upgrade to v1.2.3.4 now').triggered).toBe(false);
    expect(pii.check('server 10.20.30.40 is down').triggered).toBe(false);
  });
});
