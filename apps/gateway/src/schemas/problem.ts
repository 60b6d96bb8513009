import { z } from 'zod';

/** RFC 9457 problem details as documented in the OpenAPI document. */
export const problemSchema = z
  .object({
    type: z.string().describe('URI naming the problem type'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().describe('Stable Fieldwise error code (see ERRORS.md)'),
    traceId: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field'),
  })
  .describe('Problem details (application/problem+json)');

/** The error responses every authenticated route can give. */
export const standardErrors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  429: problemSchema,
  503: problemSchema,
} as const;
