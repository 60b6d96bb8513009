import { GetAccount360Response } from '@fieldwise/contracts';
import { z } from 'zod';
import { accountIdSchema } from './schemas.js';
import { defineReadTool } from './tool.js';

const input = z.object({ accountId: accountIdSchema }).strict();

/** `account_360`: everything a seller needs before a call with one account. */
export const account360Tool = defineReadTool({
  name: 'account_360',
  permission: 'account_360',
  writes: false,
  description:
    'Full picture of one account: profile, owner, ARR, open opportunities (stage, amount, close date), top use cases by revenue, consumption by product line and cloud, open support cases by severity, recent news and competitors present. Use it to prepare a customer call or answer broad questions about an account. Needs the account id from find_accounts.',
  examples: [
    'what should I know before my call with Acme',
    'give me a 360 of Globex Financial',
    'brief me on Initech',
    'account overview for Stark Logistics',
    'what are the open opportunities at Contoso Bank',
  ],
  input,
  async run(deps, args, ctx) {
    const response = await deps.crm.getAccount360(
      { accountId: args.accountId },
      ctx,
    );
    const name = response.profile?.summary?.name ?? args.accountId;
    return {
      data: GetAccount360Response.toJSON(response),
      summary: `360 view of ${name}: ${response.openOpportunities.length} open opportunities, ${response.topUseCases.length} top use cases, ${response.openSupportCases.length} open support cases`,
    };
  },
});
