import { describe, expect, it } from 'vitest';
import { EvalCaseSchema } from '../../../../src/domain/dataset/eval-case.js';
import { scoreGroundedness } from '../../../../src/domain/metrics/groundedness.js';
import { scoreCase } from '../../../../src/domain/metrics/score-case.js';

const toolResults = [
  {
    name: 'account_360',
    content: JSON.stringify({
      name: 'Acme Corporation',
      industry: 'Manufacturing',
      arrUsd: 1200000,
      openOpportunities: [
        { name: 'Acme renewal', stage: 'Proposal', amountUsd: 450000 },
      ],
    }),
  },
];

describe('groundedness', () => {
  it('supports sentences whose words and numbers come from the evidence, in other number formats', () => {
    const metric = scoreGroundedness({
      answer:
        'Here is what I found:\nAcme Corporation is a Manufacturing account with ARR of $1.2M. The Acme renewal is in Proposal for $450k.',
      toolResults,
      retrieved: [],
    });
    expect(metric).toMatchObject({ value: 1, passed: true });
    expect(metric.details).toMatchObject({ claims: 2 });
  });

  it('lists an unsupported sentence (claim absent from every tool result and passage)', () => {
    const metric = scoreGroundedness({
      answer:
        'Acme Corporation is a Manufacturing account. Their CIO plans to migrate everything to Snowflake next quarter.',
      toolResults,
      retrieved: [],
    });
    expect(metric.passed).toBe(false);
    expect(metric.value).toBe(0.5);
    expect(metric.details).toMatchObject({
      unsupported: [
        {
          sentence:
            'Their CIO plans to migrate everything to Snowflake next quarter.',
        },
      ],
    });
  });

  it('fails a sentence whose words match but whose number does not', () => {
    const metric = scoreGroundedness({
      answer: 'Acme Corporation has ARR of $1.5M.',
      toolResults,
      retrieved: [],
    });
    expect(metric.passed).toBe(false);
    expect(metric.details).toMatchObject({
      unsupported: [{ missingNumbers: ['#1500000'] }],
    });
  });

  it('counts retrieved passages as evidence and skips questions', () => {
    const metric = scoreGroundedness({
      answer:
        'Sakura Rail cut fare reconciliation from 4 hours to 90 seconds. Want the full case study?',
      toolResults: [],
      retrieved: [
        {
          documentId: 'd',
          chunkId: 'c',
          text: 'Sakura Rail cut fare-reconciliation latency from 4 hours to 90 seconds.',
        },
      ],
    });
    expect(metric).toMatchObject({ value: 1, passed: true });
  });

  it('is not measured for a turn whose tool results the runner could not capture', () => {
    const evalCase = EvalCaseSchema.parse({
      id: 'c',
      user: { userId: 'u', tenant: 'lumen', role: 'seller' },
      request: { message: 'Brief me on Acme' },
    });
    const turn = {
      answer: 'Acme Corporation has an ARR of $9.9M and three champions.',
      toolCalls: [],
      citations: [],
      retrieved: [],
      toolResults: [{ name: 'account_360', content: '1 account' }],
      latencyMs: 1,
      usage: { inputTokens: 0, outputTokens: 0 },
    };
    const names = (m: readonly { name: string }[]) => m.map((x) => x.name);
    expect(names(scoreCase(evalCase, turn))).toContain('groundedness');
    expect(
      names(scoreCase(evalCase, { ...turn, evidenceGaps: ['account_360'] })),
    ).not.toContain('groundedness');
  });
});
