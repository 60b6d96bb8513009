import { ValidationError } from '@fieldwise/errors';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../src/index.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(
      join(import.meta.dirname, 'fixtures', 'events', `${name}.json`),
      'utf8',
    ),
  ) as Record<string, unknown>;

function violations(value: unknown): string[] {
  try {
    parseEvent(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations.map((v) => v.field);
  }
  throw new Error('expected a ValidationError');
}

describe('parseEvent', () => {
  it('rejects a wrong spec version and a bad time', () => {
    const event = {
      ...fixture('fieldwise.audit.request.v1'),
      specversion: '0.3',
      time: 'yesterday',
    };
    expect(violations(event)).toEqual(
      expect.arrayContaining(['specversion', 'time']),
    );
  });

  it('rejects an unknown type', () => {
    expect(
      violations({
        ...fixture('fieldwise.feedback.submitted.v1'),
        type: 'x.y.v1',
      }),
    ).toEqual(['type']);
  });

  it('names payload fields by their path under data', () => {
    const event = fixture('fieldwise.audit.authz.decision.v1');
    const data = {
      ...(event.data as Record<string, unknown>),
      decision: 'maybe',
    };
    expect(violations({ ...event, data })).toEqual(['data.decision']);
  });

  it('rejects clear-text payloads where a digest is required', () => {
    const event = fixture('fieldwise.audit.tool.call.v1');
    const data = {
      ...(event.data as Record<string, unknown>),
      arguments: { field: 'stage' },
    };
    expect(violations({ ...event, data })[0]).toMatch(/^data\.arguments/);
  });

  it('requires the chain attributes on audit events', () => {
    const {
      hash: _hash,
      seq: _seq,
      ...event
    } = fixture('fieldwise.audit.rate.limit.v1');
    expect(violations(event).sort()).toEqual(['hash', 'seq']);
  });

  it('rejects extension attributes with illegal names', () => {
    expect(
      violations({
        ...fixture('fieldwise.feedback.submitted.v1'),
        Bad_Name: 'x',
      }),
    ).toEqual(['Bad_Name']);
  });
});
