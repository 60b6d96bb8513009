import { ValidationError } from '@fieldwise/errors';
import type { UpdatableEntity } from '../adapters/store/port.js';
import {
  OPPORTUNITY_STAGES,
  USE_CASE_STAGES,
  type UseCaseStage,
} from '../domain/model.js';

/** How one contract field maps onto a domain field and its value type. */
interface FieldMapping {
  /** The domain's field name (`UPDATABLE_FIELDS`). */
  readonly domain: string;
  /** Contract string → domain value; may throw VALIDATION_FAILED. */
  readonly parse: (text: string) => unknown;
  /** Stored (column) value → contract string. */
  readonly render: (value: string | number | null) => string;
}

const asText = (text: string): string | null => (text === '' ? null : text);
const plain = (value: string | number | null): string =>
  value === null ? '' : String(value);

function invalid(message: string): ValidationError {
  return new ValidationError([{ field: 'newValue', message }]);
}

function decimal(text: string): number {
  if (!/^-?\d{1,12}(\.\d{1,6})?$/.test(text.trim()))
    throw invalid('must be a decimal number such as 125000.50');
  return Number(text);
}

/** `NEGOTIATION`, `closed_won` or `Closed Won` → the canonical name in `values`. */
function enumName<T extends string>(
  text: string,
  values: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T {
  const key = text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  const found =
    aliases[key] ??
    values.find((v) => v.toUpperCase().replace(/[\s-]+/g, '_') === key);
  if (found === undefined) {
    throw invalid(
      `must be one of ${[...values.map((v) => v.toUpperCase().replace(/ /g, '_')), ...Object.keys(aliases)].join(', ')}`,
    );
  }
  return found;
}

/** Contract use-case stage names (proto enum) → GOLD stages. */
const USE_CASE_STAGE_ALIASES: Readonly<Record<string, UseCaseStage>> = {
  DISCOVERY: 'Scoping',
  EVALUATION: 'Technical Validation',
  ON_HOLD: 'Paused',
};

const stageName = (value: string | number | null): string =>
  value === null ? '' : String(value).toUpperCase().replace(/ /g, '_');

/** Blockers: one text, or a JSON array of strings joined with "; ". */
function blockers(text: string): string | null {
  if (text.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalid('must be text or a JSON array of strings');
    }
    if (
      !Array.isArray(parsed) ||
      !parsed.every((b): b is string => typeof b === 'string')
    ) {
      throw invalid('must be text or a JSON array of strings');
    }
    return parsed.length === 0 ? null : parsed.join('; ');
  }
  return asText(text);
}

/**
 * The fields UpdateField accepts, by contract name (snake_case, as in the
 * proto) and by the domain's own name. Opportunity `probability` and
 * use-case `description` are named by the contract but not stored in the
 * GOLD model, so they are rejected like any field outside the allow-list.
 */
export const UPDATE_FIELD_MAPPINGS: Readonly<
  Record<UpdatableEntity, Readonly<Record<string, FieldMapping>>>
> = {
  opportunity: {
    stage: {
      domain: 'stage',
      parse: (t) => enumName(t, OPPORTUNITY_STAGES),
      render: stageName,
    },
    close_date: { domain: 'closeDate', parse: asText, render: plain },
    amount: {
      domain: 'amount',
      parse: decimal,
      // Stored in cents.
      render: (v) => (v === null ? '' : (Number(v) / 100).toFixed(2)),
    },
    next_step: { domain: 'nextStep', parse: asText, render: plain },
    currency: {
      domain: 'currency',
      parse: (t) => t.trim().toUpperCase(),
      render: plain,
    },
    forecast_category: {
      domain: 'forecastCategory',
      parse: asText,
      render: plain,
    },
  },
  use_case: {
    stage: {
      domain: 'stage',
      parse: (t) => enumName(t, USE_CASE_STAGES, USE_CASE_STAGE_ALIASES),
      render: stageName,
    },
    go_live_date: { domain: 'goLiveDate', parse: asText, render: plain },
    executive_sponsor_contact_id: {
      domain: 'executiveSponsorId',
      parse: asText,
      render: plain,
    },
    blockers: { domain: 'blockers', parse: blockers, render: plain },
    est_monthly_revenue_usd: {
      domain: 'estMonthlyRevenueUsd',
      parse: decimal,
      render: plain,
    },
  },
};

const CAMEL_TO_SNAKE = (name: string): string =>
  name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The mapping for a requested field name (snake_case or the domain's camelCase). */
export function fieldMapping(
  entity: UpdatableEntity,
  field: string,
): FieldMapping {
  const table = UPDATE_FIELD_MAPPINGS[entity];
  const bySnake = Object.hasOwn(table, field) ? table[field] : undefined;
  const byDomain = Object.values(table).find((m) => m.domain === field);
  const aliased =
    field.length <= 64 && Object.hasOwn(table, CAMEL_TO_SNAKE(field))
      ? table[CAMEL_TO_SNAKE(field)]
      : undefined;
  const mapping = bySnake ?? byDomain ?? aliased;
  if (mapping === undefined) {
    throw new ValidationError([
      {
        field: 'field',
        message: `not an updatable ${entity} field; allowed: ${Object.keys(table).join(', ')}`,
      },
    ]);
  }
  return mapping;
}
