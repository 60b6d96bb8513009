import { FindAccountsResponse } from '@fieldwise/contracts';
import { z } from 'zod';
import { defineReadTool } from './tool.js';

const input = z
  .object({
    query: z
      .string()
      .trim()
      .max(200)
      .default('')
      .describe(
        'Account name, possibly misspelled or partial ("acme", "globex fin").',
      ),
    domain: z
      .string()
      .trim()
      .max(253)
      .default('')
      .describe('Web domain of the account, e.g. "acme.com".'),
    ownerUserId: z
      .string()
      .trim()
      .max(128)
      .default('')
      .describe('Only accounts owned by this user id.'),
    limit: z.number().int().min(1).max(20).default(5),
  })
  .strict();

/** `find_accounts`: resolves accounts by fuzzy name, domain or owner. */
export const findAccountsTool = defineReadTool({
  name: 'find_accounts',
  permission: 'find_accounts',
  writes: false,
  description:
    'Find customer accounts the user can see by (fuzzy) name, web domain or owner. Returns up to `limit` matches with id, name, domain, industry, segment, territory, owner and ARR, best match first. Call it first to turn an account name into the account id other tools need. An empty result means no visible account matches.',
  examples: [
    'find the Acme account',
    'which accounts do I own',
    'look up globexfin.com',
    'what is the account id for Initech',
    'show me accounts named Stark',
  ],
  input,
  async run(deps, args, ctx) {
    const response = await deps.crm.findAccounts(
      {
        query: args.query,
        domain: args.domain,
        ownerUserId: args.ownerUserId,
        page: { pageSize: args.limit, pageToken: '' },
      },
      ctx,
    );
    const names = response.accounts
      .map((m) => m.account?.name)
      .filter((n): n is string => n !== undefined);
    return {
      data: FindAccountsResponse.toJSON(response),
      summary:
        names.length === 0
          ? 'No matching account'
          : `${names.length} account(s): ${names.slice(0, 3).join(', ')}`,
    };
  },
});
