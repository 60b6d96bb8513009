import { GetHygieneAlertsResponse } from '@fieldwise/contracts';
import { z } from 'zod';
import { defineReadTool } from './tool.js';

const input = z
  .object({
    horizonDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(90)
      .describe(
        'Look-ahead window for go-live dates, in days (a quarter is 90).',
      ),
    accountId: z
      .string()
      .trim()
      .max(128)
      .default('')
      .describe('Limit to one account id; empty covers every visible account.'),
    ownerUserId: z
      .string()
      .trim()
      .max(128)
      .default('')
      .describe('Limit to records owned by this user id.'),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();

/** `hygiene_alerts`: pipeline hygiene over the user's visible accounts. */
export const hygieneAlertsTool = defineReadTool({
  name: 'hygiene_alerts',
  permission: 'hygiene_alerts',
  writes: false,
  description:
    'Pipeline hygiene over the accounts the user can see: use cases going live within the horizon, the top blockers with revenue at risk, use cases missing an executive sponsor, records missing key fields, and opportunities whose close date has passed.',
  examples: [
    'which of my use cases go live this quarter without an executive sponsor',
    'pipeline hygiene check',
    'what are the top blockers on my use cases',
    'opportunities with close dates in the past',
    'what is missing in my CRM data',
  ],
  input,
  async run(deps, args, ctx) {
    const response = await deps.crm.getHygieneAlerts(
      {
        horizonDays: args.horizonDays,
        accountId: args.accountId,
        ownerUserId: args.ownerUserId,
        limit: args.limit,
      },
      ctx,
    );
    return {
      data: GetHygieneAlertsResponse.toJSON(response),
      summary: `${response.goingLive.length} going live, ${response.missingSponsor.length} missing a sponsor, ${response.pastCloseDate.length} past close date`,
    };
  },
});
