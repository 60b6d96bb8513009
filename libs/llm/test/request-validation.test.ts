import { FieldwiseError } from '@fieldwise/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatModelRequest } from '../src/chat-model.js';
import {
  requestSchema,
  validateChatModelRequest,
  wellFormed,
} from '../src/request-validation.js';

// Values of every kind, valid ones weighted up, so requests land near the
// schema's edges (missing fields, wrong types, bad names, out of range).
const anything = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -3, max: 3 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
);
const name = fc.constantFrom(
  'find_accounts',
  'a-b_9',
  '',
  'bad name',
  'x'.repeat(65),
);
const orAnything = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: anything });

const toolCall = fc.record(
  {
    id: orAnything(fc.constantFrom('c1', '')),
    name: orAnything(name),
    arguments: anything,
    rawArguments: orAnything(fc.constant('{}')),
  },
  { requiredKeys: [] },
);
const message = fc.oneof(
  fc.record({
    role: fc.constantFrom('system', 'user', 'developer'),
    content: orAnything(fc.string({ maxLength: 8 })),
  }),
  fc.record(
    {
      role: fc.constant('assistant'),
      content: orAnything(fc.string({ maxLength: 8 })),
      toolCalls: orAnything(fc.array(orAnything(toolCall), { maxLength: 3 })),
    },
    { requiredKeys: ['role'] },
  ),
  fc.record({
    role: fc.constant('tool'),
    toolCallId: orAnything(fc.constantFrom('c1', '')),
    content: orAnything(fc.string({ maxLength: 8 })),
  }),
  anything,
);
const tool = fc.record(
  {
    name: orAnything(name),
    description: orAnything(fc.string({ maxLength: 8 })),
    parameters: orAnything(
      fc.oneof(
        fc.constant({ type: 'object', properties: {} }),
        fc.constant({ type: 'string' }),
        fc.constant([]),
      ),
    ),
  },
  { requiredKeys: [] },
);
const request = fc.record(
  {
    messages: orAnything(fc.array(message, { maxLength: 4 })),
    tools: orAnything(fc.array(orAnything(tool), { maxLength: 3 })),
    toolChoice: orAnything(
      fc.oneof(
        fc.constantFrom('auto', 'none', 'required', 'sometimes'),
        fc.record({ name: orAnything(name) }),
      ),
    ),
    temperature: orAnything(fc.double({ min: -1, max: 3, noNaN: false })),
    maxTokens: orAnything(fc.integer({ min: -2, max: 5 })),
  },
  { requiredKeys: [] },
);

describe('validateChatModelRequest', () => {
  it('takes its fast path only for requests the schema accepts', () => {
    fc.assert(
      fc.property(request, (candidate) => {
        if (wellFormed(candidate))
          expect(requestSchema.safeParse(candidate).success).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts exactly what the schema accepts (cross-field rules aside)', () => {
    fc.assert(
      fc.property(request, (candidate) => {
        const schemaOk = requestSchema.safeParse(candidate).success;
        let thrown: unknown;
        try {
          validateChatModelRequest(candidate as ChatModelRequest);
        } catch (error) {
          thrown = error;
        }
        if (!schemaOk) {
          expect(thrown).toBeInstanceOf(FieldwiseError);
          expect((thrown as FieldwiseError).code).toBe('VALIDATION_FAILED');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the fast path for an ordinary turn with tools', () => {
    const ordinary = {
      messages: [
        { role: 'system', content: 'rules' },
        { role: 'user', content: 'acme?' },
        {
          role: 'assistant',
          toolCalls: [{ id: 'c1', name: 'find_accounts', rawArguments: '{}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: '{}' },
      ],
      tools: [
        {
          name: 'find_accounts',
          description: 'Finds accounts',
          parameters: { type: 'object', properties: {} },
        },
      ],
      toolChoice: 'auto',
      temperature: 0,
      maxTokens: 100,
    };
    expect(wellFormed(ordinary)).toBe(true);
    expect(() =>
      validateChatModelRequest(ordinary as ChatModelRequest),
    ).not.toThrow();
  });
});
