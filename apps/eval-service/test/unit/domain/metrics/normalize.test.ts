import { describe, expect, it } from 'vitest';
import {
  containsFact,
  splitSentences,
  tokenize,
} from '../../../../src/domain/metrics/normalize.js';

describe('tokenize', () => {
  it.each([
    ['$1.2M', '#1200000'],
    ['1,200,000', '#1200000'],
    ['1.2 million', '#1200000'],
    ['USD 1200000', '#1200000'],
    ['$3.00', '#3'],
    ['€450k', '#450000'],
    ['2.5bn', '#2500000000'],
    ['22%', '#22%'],
    ['22 percent', '#22%'],
    ['0.5', '#0.5'],
  ])('reads %s as %s', (text, token) => {
    expect(tokenize(text)).toContain(token);
  });

  it('keeps digits glued to letters as words and distinguishes percent from plain numbers', () => {
    expect(tokenize('Q3 FY2026 gpt-4o')).toEqual(['q3', 'fy2026', 'gpt', '4o']);
    expect(tokenize('22%')).not.toContain('#22');
  });

  it('does not read the European 1.200.000 as a million', () => {
    expect(tokenize('1.200.000')).not.toContain('#1200000');
  });
});

describe('containsFact', () => {
  it('matches across case, whitespace, fillers and number formats', () => {
    const answer =
      'Acme  Corporation has an ARR  is $1.2M and 22 percent growth.';
    expect(containsFact(answer, 'ARR of 1,200,000')).toBe(true);
    expect(containsFact(answer, 'acme corporation')).toBe(true);
    expect(containsFact(answer, '22%')).toBe(true);
  });

  it('rejects a different figure, a reordered phrase and an empty fact', () => {
    const answer = 'The ARR is $1.3M; not approved by the Deal Desk.';
    expect(containsFact(answer, '$1.2M')).toBe(false);
    expect(containsFact(answer, 'Desk Deal')).toBe(false);
    expect(containsFact(answer, 'approved by the Deal Desk')).toBe(true);
    expect(containsFact(answer, '...')).toBe(false);
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends and lines, not on decimals or abbreviations, and drops markdown', () => {
    expect(
      splitSentences(
        '- **ARR** is $1.2M, e.g. from Stream. Growth is 3.5% [1].\n2. Next step: call.',
      ),
    ).toEqual([
      'ARR is $1.2M, e.g. from Stream.',
      'Growth is 3.5% .',
      'Next step: call.',
    ]);
  });
});
