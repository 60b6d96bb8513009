import { describe, expect, it } from 'vitest';
import {
  pointId,
  toQdrantFilter,
} from '../../src/adapters/vector-index/qdrant-vector-index.js';

describe('Qdrant filter translation', () => {
  it('puts tenant and visibility first and lets global documents match any region', () => {
    expect(
      toQdrantFilter({
        tenant: 'lumen',
        visibility: ['public', 'partner'],
        type: ['case-study'],
        regions: ['APJ'],
      }),
    ).toEqual({
      must: [
        { key: 'tenant', match: { value: 'lumen' } },
        { key: 'visibility', match: { any: ['public', 'partner'] } },
        { key: 'type', match: { any: ['case-study'] } },
        { key: 'regions', match: { any: ['APJ', 'global'] } },
      ],
    });
  });

  it('maps chunk ids to stable, distinct UUIDs', () => {
    const id = pointId('battlecard-stream-vs-confluent#3');
    expect(id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(pointId('battlecard-stream-vs-confluent#3')).toBe(id);
    expect(pointId('battlecard-stream-vs-confluent#4')).not.toBe(id);
  });
});
