import {
  CrmEntityType,
  OpportunityStage,
  UseCaseStage,
  opportunityStageToJSON,
  useCaseStageToJSON,
  type Opportunity,
  type UseCase,
} from '@fieldwise/contracts';
import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import { z } from 'zod';
import { defineWriteTool, type ToolDeps, type ToolContext } from './tool.js';

/**
 * Fields the agent may propose to change, per record type: the CRM's
 * allow-list, less the fields whose current value the CRM contract does not
 * return (a pending action must show before → after from a fresh read).
 */
export const UPDATABLE_FIELDS = {
  opportunity: ['stage', 'close_date', 'amount', 'next_step', 'currency'],
  use_case: [
    'stage',
    'go_live_date',
    'executive_sponsor_contact_id',
    'blockers',
  ],
} as const;

const OPPORTUNITY_STAGES = Object.keys(OpportunityStage).filter(
  (k) => Number.isNaN(Number(k)) && k !== 'UNSPECIFIED' && k !== 'UNRECOGNIZED',
);
const USE_CASE_STAGES = Object.keys(UseCaseStage).filter(
  (k) => Number.isNaN(Number(k)) && k !== 'UNSPECIFIED' && k !== 'UNRECOGNIZED',
);

const input = z
  .object({
    entityType: z
      .enum(['opportunity', 'use_case'])
      .describe('Kind of record to change.'),
    entityId: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .describe(
        'Id of the opportunity or use case (from account_360 or hygiene_alerts).',
      ),
    field: z
      .enum([
        'stage',
        'close_date',
        'amount',
        'next_step',
        'currency',
        'go_live_date',
        'executive_sponsor_contact_id',
        'blockers',
      ])
      .describe(
        'Opportunity: stage, close_date, amount, next_step, currency. Use case: stage, go_live_date, executive_sponsor_contact_id, blockers.',
      ),
    newValue: z
      .string()
      .max(4000)
      .describe(
        `New value: stages by name (opportunity: ${OPPORTUNITY_STAGES.join(', ')}; use case: ${USE_CASE_STAGES.join(', ')}), dates YYYY-MM-DD, amount a decimal, currency an ISO code (USD), blockers a JSON array of strings, "" clears.`,
      ),
  })
  .strict();

type Input = z.output<typeof input>;

function normalizeValue(args: Input): string {
  const allowed: readonly string[] = UPDATABLE_FIELDS[args.entityType];
  const fail = (message: string): never => {
    throw new ValidationError([{ field: 'newValue', message }]);
  };
  if (!allowed.includes(args.field)) {
    throw new ValidationError([
      {
        field: 'field',
        message: `${args.entityType} fields that may change: ${allowed.join(', ')}`,
      },
    ]);
  }
  const value = args.newValue.trim();
  switch (args.field) {
    case 'stage': {
      const name = value.toUpperCase().replace(/[\s-]+/g, '_');
      const stages =
        args.entityType === 'opportunity'
          ? OPPORTUNITY_STAGES
          : USE_CASE_STAGES;
      if (!stages.includes(name))
        fail(`stage must be one of ${stages.join(', ')}`);
      return name;
    }
    case 'close_date':
    case 'go_live_date':
      if (value !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(value))
        fail('dates are YYYY-MM-DD');
      return value;
    case 'amount':
      if (!/^\d{1,13}(\.\d{1,2})?$/.test(value))
        fail('amount is a decimal such as 125000.50');
      return value;
    case 'currency':
      if (!/^[A-Za-z]{3}$/.test(value))
        fail('currency is a three-letter ISO code such as USD');
      return value.toUpperCase();
    case 'blockers': {
      let parsed: unknown;
      try {
        parsed = value === '' ? [] : JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed) || !parsed.every((b) => typeof b === 'string'))
        fail('blockers is a JSON array of strings');
      return JSON.stringify(parsed);
    }
    default:
      return value;
  }
}

function opportunityValue(record: Opportunity, field: string): string {
  switch (field) {
    case 'stage':
      return opportunityStageToJSON(record.stage).replace(
        /^OPPORTUNITY_STAGE_/,
        '',
      );
    case 'close_date':
      return record.closeDate;
    case 'amount':
      return record.amount === undefined
        ? ''
        : (record.amount.amountMicros / 1_000_000).toFixed(2);
    case 'currency':
      return record.amount?.currencyCode ?? '';
    case 'next_step':
      return record.nextStep;
    default:
      return '';
  }
}

function useCaseValue(record: UseCase, field: string): string {
  switch (field) {
    case 'stage':
      return useCaseStageToJSON(record.stage).replace(/^USE_CASE_STAGE_/, '');
    case 'go_live_date':
      return record.goLiveDate;
    case 'executive_sponsor_contact_id':
      return record.executiveSponsorContactId;
    case 'blockers':
      return JSON.stringify(record.blockers);
    default:
      return '';
  }
}

async function readCurrent(
  deps: ToolDeps,
  args: Input,
  ctx: ToolContext,
): Promise<{ name: string; before: string; version: number }> {
  if (args.entityType === 'opportunity') {
    const { opportunity } = await deps.crm.getOpportunity(
      { opportunityId: args.entityId },
      ctx,
    );
    if (opportunity === undefined)
      throw new FieldwiseError(
        'NOT_FOUND',
        `opportunity '${args.entityId}' was not found`,
      );
    return {
      name: opportunity.name,
      before: opportunityValue(opportunity, args.field),
      version: opportunity.version,
    };
  }
  const { useCase } = await deps.crm.getUseCase(
    { useCaseId: args.entityId },
    ctx,
  );
  if (useCase === undefined)
    throw new FieldwiseError(
      'NOT_FOUND',
      `use case '${args.entityId}' was not found`,
    );
  return {
    name: useCase.name,
    before: useCaseValue(useCase, args.field),
    version: useCase.version,
  };
}

/** `update_crm_field`: change one allow-listed field, after confirmation. */
export const updateCrmFieldTool = defineWriteTool({
  name: 'update_crm_field',
  permission: 'update_crm_field',
  writes: true,
  description:
    'Propose a change to ONE allow-listed field of ONE opportunity or use case (e.g. move an opportunity to NEGOTIATION, set a go-live date). Nothing changes until the user confirms; the result is a pending action showing the value before and after. Use only when the user asked for this change.',
  examples: [
    'move the Acme renewal to Negotiation',
    'set the close date of the Globex expansion to 2026-12-15',
    'change the go-live date of the Initech fraud detection use case',
    'update the next step on the Stark opportunity',
    'mark the use case as live',
  ],
  input,
  async run(deps, args, ctx) {
    const after = normalizeValue(args);
    const current = await readCurrent(deps, args, ctx);
    if (current.before === after) {
      throw new ValidationError([
        { field: 'newValue', message: `${args.field} already has this value` },
      ]);
    }
    const label =
      args.entityType === 'opportunity' ? 'opportunity' : 'use case';
    return {
      summary: `Change ${args.field} of ${label} '${current.name}' from '${current.before || '(empty)'}' to '${after || '(empty)'}'`,
      changes: [{ field: args.field, before: current.before, after }],
      target: {
        entityType: args.entityType,
        entityId: args.entityId,
        version: current.version,
      },
      arguments: {
        entityType: args.entityType,
        entityId: args.entityId,
        field: args.field,
        newValue: after,
      },
    };
  },
  async execute(deps, args, ctx) {
    const entityType =
      args['entityType'] === 'opportunity'
        ? CrmEntityType.OPPORTUNITY
        : CrmEntityType.USE_CASE;
    const response = await deps.crm.updateField(
      {
        entityType,
        entityId: String(args['entityId']),
        field: String(args['field']),
        newValue: String(args['newValue']),
        expectedVersion: ctx.target.version ?? 0,
        idempotencyKey: ctx.idempotencyKey,
      },
      ctx,
    );
    return {
      result: {
        entityId: response.entityId,
        field: response.change?.field ?? String(args['field']),
        before: response.change?.before ?? '',
        after: response.change?.after ?? '',
        newVersion: response.newVersion,
        replayed: response.replayed,
      },
      summary: `Updated ${String(args['field'])} to '${response.change?.after ?? String(args['newValue'])}'`,
    };
  },
});
