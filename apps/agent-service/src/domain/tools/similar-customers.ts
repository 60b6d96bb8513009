import { GetSimilarCustomersResponse } from '@fieldwise/contracts';
import { z } from 'zod';
import { accountIdSchema } from './schemas.js';
import { defineReadTool } from './tool.js';

const input = z
  .object({
    accountId: accountIdSchema,
    limit: z.number().int().min(1).max(20).default(5),
    useCaseLimit: z.number().int().min(1).max(20).default(5),
  })
  .strict();

/** `similar_customers`: use cases live at look-alike accounts but missing here. */
export const similarCustomersTool = defineReadTool({
  name: 'similar_customers',
  permission: 'similar_customers',
  writes: false,
  description:
    'Accounts similar to this one (industry, size, consumption profile) with the reasons, and the use cases live at those accounts that this account does not have yet, with their revenue. Use it to find expansion or cross-sell ideas.',
  examples: [
    'what are similar customers doing that Acme is not',
    'cross-sell ideas for Globex',
    'which use cases could we expand into at Initech',
    'customers like Stark Logistics',
  ],
  input,
  async run(deps, args, ctx) {
    const response = await deps.crm.getSimilarCustomers(
      {
        accountId: args.accountId,
        limit: args.limit,
        useCaseLimit: args.useCaseLimit,
      },
      ctx,
    );
    return {
      data: GetSimilarCustomersResponse.toJSON(response),
      summary: `${response.similarAccounts.length} similar account(s), ${response.recommendedUseCases.length} recommended use case(s)`,
    };
  },
});
