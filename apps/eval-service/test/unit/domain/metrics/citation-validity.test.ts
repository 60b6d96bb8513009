import { describe, expect, it } from 'vitest';
import { scoreCitationValidity } from '../../../../src/domain/metrics/citation-validity.js';
import type {
  AnswerCitation,
  RetrievedChunk,
} from '../../../../src/domain/model.js';

const retrieved: RetrievedChunk[] = [
  {
    documentId: 'battlecard-stream-vs-confluent',
    chunkId: 'c004',
    text: 'Lumen Stream includes CDC at no extra cost.\nConfluent charges   separately for connectors.',
  },
];

const cite = (over: Partial<AnswerCitation>): AnswerCitation => ({
  documentId: 'battlecard-stream-vs-confluent',
  chunkId: 'c004',
  title: 'Battlecard: Stream vs Confluent',
  section: 'Pricing',
  snippet: 'Confluent charges separately for connectors.',
  ...over,
});

describe('citation validity', () => {
  it('accepts a citation of a retrieved chunk whose text contains the snippet (whitespace and case normalized)', () => {
    const metric = scoreCitationValidity(
      [cite({ snippet: 'confluent CHARGES separately' })],
      retrieved,
    );
    expect(metric).toMatchObject({ value: 1, passed: true });
  });

  it('accepts a snippet shortened with an ellipsis when the pieces appear in order', () => {
    const metric = scoreCitationValidity(
      [cite({ snippet: 'Lumen Stream includes CDC… for connectors' })],
      retrieved,
    );
    expect(metric?.passed).toBe(true);
  });

  it('fails a fabricated citation of a chunk not retrieved in the turn', () => {
    const metric = scoreCitationValidity(
      [
        cite({}),
        cite({ chunkId: 'c999', snippet: 'Lumen Stream includes CDC' }),
      ],
      retrieved,
    );
    expect(metric).toMatchObject({ value: 0.5, passed: false });
    expect(metric?.details).toEqual({
      invalid: [
        {
          index: 1,
          documentId: 'battlecard-stream-vs-confluent',
          chunkId: 'c999',
          problem: 'not_retrieved',
        },
      ],
    });
  });

  it('fails a citation of a real retrieved chunk whose text does not contain the snippet', () => {
    const metric = scoreCitationValidity(
      [cite({ snippet: 'Confluent is twice as expensive as Lumen Stream' })],
      retrieved,
    );
    expect(metric).toMatchObject({ value: 0, passed: false });
    expect(metric?.explanation).toContain('snippet is not in the cited chunk');
  });

  it('fails ellipsis pieces that appear out of order, and an empty snippet', () => {
    expect(
      scoreCitationValidity(
        [cite({ snippet: 'for connectors… Lumen Stream includes' })],
        retrieved,
      )?.passed,
    ).toBe(false);
    expect(
      scoreCitationValidity([cite({ snippet: ' … ' })], retrieved)?.explanation,
    ).toContain('empty snippet');
  });

  it('is absent without citations unless the case requires them', () => {
    expect(scoreCitationValidity([], retrieved)).toBeUndefined();
    expect(scoreCitationValidity([], retrieved, true)).toMatchObject({
      value: 0,
      passed: false,
    });
  });
});
