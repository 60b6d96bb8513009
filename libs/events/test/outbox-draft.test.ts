import { ValidationError } from '@fieldwise/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chainEventJson,
  computeEventHash,
  EVENT_PAYLOAD_SCHEMAS,
  GENESIS_HASH,
  parseEvent,
  verifyAuditChain,
  type ChainedCloudEvent,
  type CloudEvent,
} from '../src/index.js';
import { parseOutboxDraft, type OutboxDraft } from '../src/outbox-draft.js';
import { auditRequestInput } from './helpers.js';

const valid = auditRequestInput('fieldwise.audit.v1', 3);

/** Near-valid drafts: each attribute valid most of the time, else odd. */
const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 3 }),
  fc.constant('x'.repeat(600)),
);
const mostly = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: odd });
const draft = fc.record(
  {
    specversion: mostly(fc.constant('1.0')),
    id: mostly(fc.uuid()),
    source: mostly(fc.constant('/fieldwise/gateway')),
    type: mostly(
      fc.constantFrom(valid.type, 'fieldwise.feedback.submitted.v1', 'x.v9'),
    ),
    subject: mostly(fc.constant('/v1/chat')),
    time: mostly(
      fc.oneof(
        fc
          .date({
            min: new Date('1970-01-01'),
            max: new Date('2100-01-01'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString()),
        fc.constant('2026-11-25T10:00:00+01:00'),
        fc.constant('2026-13-01T00:00:00.000Z'),
      ),
    ),
    datacontenttype: mostly(fc.constant('application/json')),
    tenant: mostly(fc.constant('acme-main')),
    principal: mostly(fc.constant('u-1')),
    traceparent: mostly(
      fc.constantFrom(
        '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        '00-XYZ-1-01',
      ),
    ),
    data: mostly(
      fc.oneof(
        fc.constant(valid.data),
        fc.constant({ ...(valid.data as object), status: 'ok' }),
      ),
    ),
    extra: fc.constantFrom(undefined, 'v'),
  },
  { requiredKeys: [] },
);

function outcome(run: () => CloudEvent): unknown {
  try {
    return { event: run() };
  } catch (error) {
    if (error instanceof ValidationError)
      return { violations: error.violations };
    throw error;
  }
}

describe('parseOutboxDraft', () => {
  it('gives what parseEvent gives, events and errors alike', () => {
    fc.assert(
      fc.property(draft, (candidate) => {
        const clean = Object.fromEntries(
          Object.entries(candidate).filter(([, v]) => v !== undefined),
        );
        expect(
          outcome(() =>
            parseOutboxDraft(
              clean as unknown as OutboxDraft,
              EVENT_PAYLOAD_SCHEMAS,
            ),
          ),
        ).toEqual(
          outcome(() =>
            parseEvent(clean, {
              schemas: EVENT_PAYLOAD_SCHEMAS,
              requireAuditChain: false,
            }),
          ),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('chainEventJson', () => {
  it('stores the JSON whose canonical hash is the event hash, chained as chainEvent does', () => {
    const events: ChainedCloudEvent[] = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq += 1) {
      const base = parseEvent(
        {
          specversion: '1.0',
          id: `e-${seq}`,
          source: valid.source,
          type: valid.type,
          time: '2026-11-25T10:00:00.000Z',
          datacontenttype: 'application/json',
          data: valid.data,
        },
        { requireAuditChain: false },
      );
      const { event, json } = chainEventJson(base, {
        producerId: 'p-1',
        seq,
        prevHash,
      });
      const stored = JSON.parse(json) as ChainedCloudEvent;
      expect(stored).toEqual(event);
      expect(computeEventHash(stored)).toBe(event.hash);
      prevHash = event.hash;
      events.push(stored);
    }
    expect(verifyAuditChain(events).ok).toBe(true);
  });
});
