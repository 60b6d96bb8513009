import { GetSupportCasesResponse, SupportSeverity } from '@fieldwise/contracts';
import { z } from 'zod';
import { accountIdSchema } from './schemas.js';
import { defineReadTool } from './tool.js';

const SEVERITIES = {
  SEV1: SupportSeverity.SEV1,
  SEV2: SupportSeverity.SEV2,
  SEV3: SupportSeverity.SEV3,
  SEV4: SupportSeverity.SEV4,
} as const;

const input = z
  .object({
    accountId: accountIdSchema,
    includeClosed: z
      .boolean()
      .default(false)
      .describe('Also list resolved and closed cases.'),
    sinceDays: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .default(0)
      .describe('Only cases opened in the last N days; 0 for no limit.'),
    severities: z
      .array(z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']))
      .max(4)
      .default([])
      .describe('Severities to keep; empty keeps all.'),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();

/** `support_cases`: open and recent support cases of an account. */
export const supportCasesTool = defineReadTool({
  name: 'support_cases',
  permission: 'support_cases',
  writes: false,
  description:
    'Support cases of one account with severity (SEV1 most severe), status, product line and dates, plus counts of open cases by severity. Open cases only unless includeClosed is true.',
  examples: [
    'any open support cases at Acme',
    'does Globex have sev1 tickets',
    'show recent support issues for Initech',
    'escalations at Stark Logistics in the last 30 days',
  ],
  input,
  async run(deps, args, ctx) {
    const response = await deps.crm.getSupportCases(
      {
        accountId: args.accountId,
        includeClosed: args.includeClosed,
        sinceDays: args.sinceDays,
        severities: args.severities.map((s) => SEVERITIES[s]),
        page: { pageSize: args.limit, pageToken: '' },
      },
      ctx,
    );
    return {
      data: GetSupportCasesResponse.toJSON(response),
      summary: `${response.cases.length} support case(s)`,
    };
  },
});
