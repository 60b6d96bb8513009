import { FieldwiseError } from '@fieldwise/errors';
import { z } from 'zod';
import { accountIdSchema } from './schemas.js';
import { defineWriteTool } from './tool.js';

const input = z
  .object({
    accountId: accountIdSchema,
    opportunityId: z
      .string()
      .trim()
      .max(128)
      .default('')
      .describe(
        'Opportunity the proposal is for; empty uses the account’s first open one.',
      ),
    useCaseIds: z
      .array(z.string().trim().min(1).max(128))
      .max(20)
      .default([])
      .describe(
        'Use cases to include; empty includes the account’s top use cases.',
      ),
    templateId: z.string().trim().min(1).max(64).default('standard'),
    title: z.string().trim().max(200).default(''),
  })
  .strict();

/** `create_proposal`: build and store a customer-facing proposal, after confirmation. */
export const createProposalTool = defineWriteTool({
  name: 'create_proposal',
  permission: 'create_proposal',
  writes: true,
  description:
    'Propose building a customer-facing proposal document for an account from its data, use cases and a template. The proposal is created only after the user confirms.',
  examples: [
    'create a proposal for Acme',
    'build a proposal for the Globex expansion opportunity',
    'put together a proposal with the Initech use cases',
  ],
  input,
  async run(deps, args, ctx) {
    const account = await deps.crm.getAccount360(
      { accountId: args.accountId },
      ctx,
    );
    const accountName = account.profile?.summary?.name ?? args.accountId;
    let opportunityId = args.opportunityId;
    if (opportunityId !== '') {
      const { opportunity } = await deps.crm.getOpportunity(
        { opportunityId },
        ctx,
      );
      if (opportunity === undefined || opportunity.accountId !== args.accountId)
        throw new FieldwiseError(
          'NOT_FOUND',
          `opportunity '${opportunityId}' was not found on this account`,
        );
    } else {
      opportunityId = account.openOpportunities[0]?.id ?? '';
    }
    const useCaseIds =
      args.useCaseIds.length > 0
        ? args.useCaseIds
        : account.topUseCases.map((u) => u.id);
    const title =
      args.title !== '' ? args.title : `${accountName}: Lumen Data proposal`;
    return {
      summary: `Create proposal '${title}' for ${accountName} with ${useCaseIds.length} use case(s)`,
      changes: [
        { field: 'proposal', before: '', after: title },
        { field: 'use_cases', before: '', after: useCaseIds.join(', ') },
      ],
      target: { entityType: 'account', entityId: args.accountId },
      arguments: {
        accountId: args.accountId,
        opportunityId,
        useCaseIds,
        templateId: args.templateId,
        title,
      },
    };
  },
  async execute(deps, args, ctx) {
    const useCaseIds = Array.isArray(args['useCaseIds'])
      ? args['useCaseIds'].map(String)
      : [];
    const response = await deps.crm.createProposal(
      {
        accountId: String(args['accountId']),
        opportunityId: String(args['opportunityId']),
        useCaseIds,
        templateId: String(args['templateId']),
        title: String(args['title']),
        idempotencyKey: ctx.idempotencyKey,
      },
      ctx,
    );
    return {
      result: {
        proposalId: response.proposal?.id ?? '',
        replayed: response.replayed,
      },
      summary: `Created proposal ${response.proposal?.id ?? ''}`,
    };
  },
});
