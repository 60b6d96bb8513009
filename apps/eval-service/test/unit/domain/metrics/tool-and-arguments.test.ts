import { describe, expect, it } from 'vitest';
import { ExpectedToolsSchema } from '../../../../src/domain/dataset/eval-case.js';
import { scoreArgumentCorrectness } from '../../../../src/domain/metrics/argument-correctness.js';
import { scoreFormatAdherence } from '../../../../src/domain/metrics/format-adherence.js';
import {
  scoreRequiredFacts,
  scoreForbiddenFacts,
} from '../../../../src/domain/metrics/facts.js';
import {
  scoreToolOrder,
  scoreToolSelection,
} from '../../../../src/domain/metrics/tool-selection.js';
import type { ActualToolCall } from '../../../../src/domain/model.js';

const call = (
  name: string,
  args: Record<string, unknown> = {},
): ActualToolCall => ({
  name,
  arguments: args,
  status: 'executed',
});

describe('tool selection and order', () => {
  const expected = ExpectedToolsSchema.parse({
    match: 'sequence',
    calls: [{ name: 'find_accounts' }, { name: 'account_360' }],
  });

  it('passes the set and the order with an extra call in between', () => {
    const actual = [
      call('find_accounts'),
      call('support_cases'),
      call('account_360'),
    ];
    expect(scoreToolSelection(expected, actual)).toMatchObject({
      value: 1,
      passed: true,
    });
    expect(scoreToolOrder(expected, actual)).toMatchObject({
      value: 1,
      passed: true,
    });
  });

  it('fails the order when the tools are swapped, and the set when one is missing', () => {
    expect(
      scoreToolOrder(expected, [call('account_360'), call('find_accounts')]),
    ).toMatchObject({ value: 0.5, passed: false });
    expect(scoreToolSelection(expected, [call('find_accounts')])).toMatchObject(
      { value: 0.5, passed: false },
    );
  });

  it('penalizes extra tools when extras are not allowed', () => {
    const strict = ExpectedToolsSchema.parse({
      allowExtra: false,
      calls: [{ name: 'find_accounts' }],
    });
    expect(
      scoreToolSelection(strict, [call('find_accounts'), call('account_360')]),
    ).toMatchObject({ value: 0.5, passed: false });
  });
});

describe('argument correctness', () => {
  const expected = ExpectedToolsSchema.parse({
    calls: [
      {
        name: 'search_collateral',
        arguments: {
          query: { match: 'contains', value: 'snowflake' },
          'filters.types': { match: 'exact', value: ['battlecard'] },
          topK: 8,
          'filters.region': { match: 'one-of', values: ['AMER', 'EMEA'] },
          competitor: { match: 'case-insensitive', value: 'Snowflake' },
        },
      },
    ],
  });

  it('applies exact, contains, one-of, case-insensitive and nested-path rules', () => {
    const metric = scoreArgumentCorrectness(expected, [
      call('search_collateral', {
        query: 'Battlecard vs SNOWFLAKE streaming',
        filters: { types: ['battlecard'], region: 'emea' },
        topK: 8,
        competitor: ' snowflake ',
      }),
    ]);
    expect(metric).toMatchObject({ value: 1, passed: true });
  });

  it('uses the best matching call and names each mismatch', () => {
    const metric = scoreArgumentCorrectness(expected, [
      call('search_collateral', { query: 'pricing' }),
      call('search_collateral', {
        query: 'snowflake',
        filters: { types: ['battlecard'], region: 'APJ' },
        topK: '8',
        competitor: 'Snowflake',
      }),
    ]);
    expect(metric?.value).toBeCloseTo(3 / 5);
    expect(metric?.explanation).toContain('search_collateral.topK');
    expect(metric?.explanation).toContain('search_collateral.filters.region');
  });

  it('scores 0 when the tool was never called and is absent when nothing is expected', () => {
    expect(scoreArgumentCorrectness(expected, [])?.value).toBe(0);
    expect(
      scoreArgumentCorrectness(
        ExpectedToolsSchema.parse({ calls: [{ name: 'x' }] }),
        [],
      ),
    ).toBeUndefined();
  });
});

describe('facts and format', () => {
  it('reports missing required facts and stated forbidden ones', () => {
    const answer = 'The floor is $1.86 per credit.';
    expect(
      scoreRequiredFacts(answer, ['$1.86', 'Chief Revenue Officer']),
    ).toMatchObject({ value: 0.5, passed: false });
    expect(scoreForbiddenFacts(answer, ['1.86 per credit'])).toMatchObject({
      value: 0,
      passed: false,
    });
  });

  it('flags dangling citation markers, raw JSON and placeholders', () => {
    const metric = scoreFormatAdherence({
      answer: 'See [2]. {"arrUsd": 1200000} for {{account}}',
      citations: [
        { documentId: 'd', chunkId: 'c', title: '', section: '', snippet: 's' },
      ],
    });
    expect(metric.passed).toBe(false);
    expect(metric.details).toEqual({
      failed: ['citation_markers', 'no_raw_json', 'no_placeholder'],
    });
    expect(scoreFormatAdherence({ answer: '', citations: [] }).details).toEqual(
      { failed: ['non_empty'] },
    );
  });
});
