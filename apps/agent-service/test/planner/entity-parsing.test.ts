import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VOCABULARY,
  findCompetitor,
  findField,
  findProductLine,
  findStage,
  judgeMatches,
  monthsBack,
  nameCandidates,
  parseAmount,
  parseDate,
  parseHorizonDays,
  parseMonths,
  parsePercent,
  stageFor,
} from '../../src/domain/planner/index.js';

const TODAY = new Date('2026-11-25T12:00:00Z');
const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');

describe('dates', () => {
  it.each([
    ['by end of March', '2027-03-31'],
    ['end of the quarter', '2026-12-31'],
    ['this quarter', '2026-12-31'],
    ['next quarter', '2027-03-31'],
    ['next month', '2026-12-31'],
    ['Dec 15', '2026-12-15'],
    ['15 January 2027', '2027-01-15'],
    ['March 3rd', '2027-03-03'],
    ['2027-02-01', '2027-02-01'],
    ['tomorrow', '2026-11-26'],
    ['next Friday', '2026-11-27'],
    ['in 2 weeks', '2026-12-09'],
  ])('"%s" is %s', (text, date) => {
    expect(parseDate(text, TODAY)).toBe(date);
  });

  it('reads look-ahead windows and month ranges', () => {
    expect(parseHorizonDays('going live in the next 30 days', TODAY)).toBe(30);
    expect(parseHorizonDays('the next two weeks', TODAY)).toBe(14);
    expect(parseHorizonDays('this quarter', TODAY)).toBe(36);
    expect(parseHorizonDays('anything wrong?', TODAY)).toBeUndefined();
    expect(parseMonths('over the last 6 months')).toBe(6);
    expect(parseMonths('past year')).toBe(12);
    expect(monthsBack(TODAY, 6)).toBe('2026-05');
    expect(monthsBack(TODAY, 12)).toBe('2025-11');
  });

  it('does not take other numbers for dates', () => {
    expect(parseDate('a 30% discount', TODAY)).toBeUndefined();
    expect(parseDate('who may approve it', TODAY)).toBeUndefined();
  });
});

describe('amounts, stages, fields, products and competitors', () => {
  it.each([
    ['$250k', 250_000],
    ['1.2M', 1_200_000],
    ['$1,500,000', 1_500_000],
    ['250 thousand dollars', 250_000],
    ['USD 80000', 80_000],
  ])('amount "%s" is %d', (text, amount) => {
    expect(parseAmount(text)).toBe(amount);
  });

  it('ignores numbers that are not money', () => {
    expect(parseAmount('move it to stage 3')).toBeUndefined();
    expect(parseAmount('a 30% discount')).toBeUndefined();
    expect(parsePercent('set probability to 70%')).toBe(70);
  });

  it('finds stages in the contract names, after the last "to"', () => {
    expect(findStage('move the proposal opportunity to Negotiation')).toEqual({
      entity: 'opportunity',
      value: 'NEGOTIATION',
    });
    expect(findStage('mark it as closed won')).toEqual({
      entity: 'opportunity',
      value: 'CLOSED_WON',
    });
    expect(findStage('put the use case on hold')?.value).toBe('ON_HOLD');
    expect(findStage('move it to technical validation')).toEqual({
      entity: 'use_case',
      value: 'EVALUATION',
    });
    expect(stageFor('opportunity', 'LOST')).toBe('CLOSED_LOST');
    expect(findStage('how are we doing?')).toBeUndefined();
  });

  it('maps field words onto the allow-listed fields', () => {
    expect(findField('push the close date')).toEqual({
      entity: 'opportunity',
      field: 'close_date',
    });
    expect(findField('update the next step')).toEqual({
      entity: 'opportunity',
      field: 'next_step',
    });
    expect(findField('set the go-live date')).toEqual({
      entity: 'use_case',
      field: 'go_live_date',
    });
    expect(findField('set the executive sponsor')).toEqual({
      entity: 'use_case',
      field: 'executive_sponsor_contact_id',
    });
    expect(findField('change the stage')).toEqual({ field: 'stage' });
  });

  it('recognises products and competitors of data/domain.json', () => {
    const domain = JSON.parse(
      readFileSync(join(REPO_ROOT, 'data', 'domain.json'), 'utf8'),
    ) as {
      productLines: { id: string; name: string }[];
      competitors: string[];
    };
    expect(DEFAULT_VOCABULARY.productLines).toEqual(
      domain.productLines.map(({ id, name }) => ({ id, name })),
    );
    expect(DEFAULT_VOCABULARY.competitors).toEqual(domain.competitors);
    expect(
      findProductLine('Lumen Connect consumption', DEFAULT_VOCABULARY)?.id,
    ).toBe('connect');
    expect(
      findProductLine('the AI Studio expansion', DEFAULT_VOCABULARY)?.id,
    ).toBe('ai-studio');
    // A lower-case verb is not a product.
    expect(
      findProductLine('connect me with the CTO', DEFAULT_VOCABULARY),
    ).toBeUndefined();
    expect(findCompetitor('how do we beat BigQuery', DEFAULT_VOCABULARY)).toBe(
      'Google BigQuery',
    );
  });
});

describe('account names', () => {
  it('offers capitalised runs, unknown-word runs and their sub-phrases as candidates', () => {
    const texts = nameCandidates(
      'Draft a follow-up email to Sam Jensen at Acme about the renewal',
    ).map((c) => c.text);
    expect(texts).toEqual(expect.arrayContaining(['Sam Jensen', 'Acme']));
    expect(
      nameCandidates('brief me on acmee corp').map((c) => c.text),
    ).toContain('acmee corp');
    const possessive = nameCandidates("How is Globex Financial's consumption?");
    expect(
      possessive.find((c) => c.text === 'Globex Financial')?.afterAccountCue,
    ).toBe(true);
  });

  it('judges matches: clear, ambiguous between strong rivals, none when weak rivals tie', () => {
    expect(
      judgeMatches([
        { id: 'a', name: 'Acme Corporation', score: 1 },
        { id: 'b', name: 'Acme Holdings', score: 0.99 },
      ]).kind,
    ).toBe('clear');
    expect(
      judgeMatches([{ id: 'a', name: 'Acme Corporation', score: 0.571 }]).kind,
    ).toBe('clear');
    const summit = judgeMatches([
      { id: '1', name: 'Summit Bank', score: 0.925 },
      { id: '2', name: 'Summit Grid', score: 0.925 },
      { id: '3', name: 'Summit Robotics Partners', score: 0.9 },
      { id: '4', name: 'Summit Logistics', score: 0.7 },
    ]);
    expect(summit.kind).toBe('ambiguous');
    expect(
      summit.kind === 'ambiguous' && summit.options.map((m) => m.name),
    ).toEqual(['Summit Bank', 'Summit Grid', 'Summit Robotics Partners']);
    // "Contoso Bank" seen from another territory only shares the word "Bank" with visible accounts.
    expect(
      judgeMatches([
        { id: '1', name: 'Birch Bank', score: 0.509 },
        { id: '2', name: 'Summit Bank', score: 0.5 },
      ]).kind,
    ).toBe('none');
    expect(judgeMatches([]).kind).toBe('none');
  });
});
