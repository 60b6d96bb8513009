import { FieldwiseError } from '@fieldwise/errors';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined properties', () => {
    expect(
      canonicalJson({
        b: 1,
        a: { d: [3, { z: true, y: null }], c: 'x' },
        e: undefined,
      }),
    ).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives equal strings for objects that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(
      canonicalJson({ y: [1, 2], x: 1 }),
    );
  });

  it('rejects values JSON cannot carry, naming the path', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(
      FieldwiseError,
    );
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(/a\.b/);
    expect(() => canonicalJson({ n: 10n })).toThrow(/bigint/);
  });
});
