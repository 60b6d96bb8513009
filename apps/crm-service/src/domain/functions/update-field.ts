import { createHash } from 'node:crypto';
import { ValidationError } from '@fieldwise/errors';
import { z } from 'zod';
import type {
  ChangeHook,
  FieldUpdateResult,
  UpdatableEntity,
} from '../../adapters/store/port.js';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import {
  CURRENCIES,
  FORECAST_CATEGORIES,
  OPPORTUNITY_STAGES,
  USE_CASE_STAGES,
} from '../model.js';
import { parseInput } from '../validation.js';
import { idempotencyKeySchema, idSchema } from './common-inputs.js';
import type { CrmDeps } from './deps.js';

const isoDate = z.iso.date();

/** How one allow-listed field is validated and stored. */
interface FieldSpec {
  readonly column: string;
  readonly schema: z.ZodType;
  /** Public value → column value. */
  readonly toColumn?: (value: unknown) => string | number | null;
  /** Columns that follow from the new value. */
  readonly derived?: (value: unknown) => Record<string, string | number | null>;
}

/** The fields `updateField` may change, per entity. Anything else is rejected. */
export const UPDATABLE_FIELDS: Readonly<
  Record<UpdatableEntity, Readonly<Record<string, FieldSpec>>>
> = {
  opportunity: {
    stage: { column: 'stage', schema: z.enum(OPPORTUNITY_STAGES) },
    amount: {
      column: 'amount_cents',
      schema: z.number().finite().min(0).max(1e11),
      toColumn: (v) => Math.round((v as number) * 100),
    },
    currency: { column: 'currency', schema: z.enum(CURRENCIES) },
    closeDate: { column: 'close_date', schema: isoDate },
    forecastCategory: {
      column: 'forecast_category',
      schema: z.enum(FORECAST_CATEGORIES),
    },
    nextStep: {
      column: 'next_step',
      schema: z.string().trim().max(500).nullable(),
    },
  },
  use_case: {
    stage: {
      column: 'stage',
      schema: z.enum(USE_CASE_STAGES),
      derived: (v) => ({ is_live: v === 'Live' ? 1 : 0 }),
    },
    estMonthlyRevenueUsd: {
      column: 'est_monthly_revenue_usd',
      schema: z.number().int().min(0).max(1e9),
    },
    goLiveDate: { column: 'go_live_date', schema: isoDate.nullable() },
    blockers: {
      column: 'blockers',
      schema: z.string().trim().max(500).nullable(),
    },
    executiveSponsorId: {
      column: 'executive_sponsor_id',
      schema: idSchema.nullable(),
    },
  },
};

/** Input of {@link updateField}. */
export const updateFieldInputSchema = z.object({
  entity: z.enum(['opportunity', 'use_case']),
  id: idSchema,
  field: z.string().min(1).max(64),
  value: z.unknown(),
  /** The version the caller read; a stale one is a CONFLICT. */
  expectedVersion: z.number().int().min(1).max(1_000_000_000),
  idempotencyKey: idempotencyKeySchema.optional(),
});

/**
 * Changes one allow-listed field of a visible opportunity or use case, with
 * optimistic concurrency on `version` (a stale version is `CONFLICT`, whose
 * context carries `currentVersion` and `currentValue`), a field-history row,
 * and `onChange` called inside the same transaction. With an idempotency key
 * a replay returns the first result and changes nothing. Out-of-scope writes
 * are PERMISSION_DENIED; unknown records NOT_FOUND; bad values VALIDATION_FAILED.
 */
export async function updateField(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof updateFieldInputSchema>,
  onChange?: ChangeHook,
): Promise<FieldUpdateResult> {
  const parsed = parseInput(updateFieldInputSchema, input);
  const spec = UPDATABLE_FIELDS[parsed.entity][parsed.field];
  if (!spec || !Object.hasOwn(UPDATABLE_FIELDS[parsed.entity], parsed.field)) {
    throw new ValidationError([
      {
        field: 'field',
        message: `not an updatable ${parsed.entity} field; allowed: ${Object.keys(UPDATABLE_FIELDS[parsed.entity]).join(', ')}`,
      },
    ]);
  }
  const value: unknown = parseInput(spec.schema, parsed.value, 'value');
  const access = await resolveAccess(deps.store, scope);
  if (
    parsed.entity === 'use_case' &&
    parsed.field === 'executiveSponsorId' &&
    value !== null
  ) {
    await assertSponsorAtAccount(deps, access, parsed.id, value as string);
  }
  const columnValue = spec.toColumn
    ? spec.toColumn(value)
    : (value as string | number | null);
  const idempotency = parsed.idempotencyKey
    ? {
        key: parsed.idempotencyKey,
        requestHash: createHash('sha256')
          .update(
            JSON.stringify([
              parsed.entity,
              parsed.id,
              parsed.field,
              columnValue,
              parsed.expectedVersion,
            ]),
          )
          .digest('hex'),
      }
    : undefined;
  return deps.store.updateField(
    access,
    {
      entity: parsed.entity,
      id: parsed.id,
      field: parsed.field,
      column: spec.column,
      value: columnValue,
      expectedVersion: parsed.expectedVersion,
      actorId: access.userId,
      at: deps.clock().toISOString(),
      ...(idempotency ? { idempotency } : {}),
      ...(spec.derived ? { derived: spec.derived(value) } : {}),
    },
    onChange,
  );
}

async function assertSponsorAtAccount(
  deps: CrmDeps,
  access: Awaited<ReturnType<typeof resolveAccess>>,
  useCaseId: string,
  contactId: string,
): Promise<void> {
  const useCase = await deps.store.getUseCase(access, useCaseId);
  // An invisible use case is left to the store, which reports it properly.
  if (!useCase) return;
  const contact = await deps.store.getContact(access, contactId);
  if (!contact || contact.accountId !== useCase.accountId) {
    throw new ValidationError([
      {
        field: 'value',
        message: 'executive sponsor must be a contact of the same account',
      },
    ]);
  }
}
