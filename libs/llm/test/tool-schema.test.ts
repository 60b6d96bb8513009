import { FieldwiseError } from '@fieldwise/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatToolFromZod, toolParametersSchema } from '../src/index.js';

describe('toolParametersSchema', () => {
  it('describes the input side: defaulted fields are optional, descriptions kept', () => {
    const schema = z.object({
      accountId: z.string().describe('The account id, e.g. a-001'),
      stage: z.enum(['Discovery', 'Negotiation']),
      limit: z.number().int().min(1).max(50).default(10),
    });
    expect(toolParametersSchema(schema)).toEqual({
      type: 'object',
      properties: {
        accountId: {
          type: 'string',
          description: 'The account id, e.g. a-001',
        },
        stage: { type: 'string', enum: ['Discovery', 'Negotiation'] },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 50,
          default: 10,
        },
      },
      required: ['accountId', 'stage'],
    });
  });

  it('refuses a non-object schema', () => {
    expect(() => toolParametersSchema(z.string())).toThrow(FieldwiseError);
    expect(() => toolParametersSchema(z.string())).toThrow(/object schema/);
  });

  it('refuses what JSON Schema cannot express', () => {
    const schema = z.object({ when: z.date() });
    expect(() => toolParametersSchema(schema)).toThrow(/cannot be expressed/);
  });
});

describe('chatToolFromZod', () => {
  it('builds a function-calling tool', () => {
    const tool = chatToolFromZod({
      name: 'support_cases',
      description: 'Open support cases.',
      parameters: z.object({ accountId: z.string() }),
    });
    expect(tool).toEqual({
      name: 'support_cases',
      description: 'Open support cases.',
      parameters: {
        type: 'object',
        properties: { accountId: { type: 'string' } },
        required: ['accountId'],
      },
    });
  });
});
