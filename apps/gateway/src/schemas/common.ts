import { z } from 'zod';
import type { Money, PageInfo } from '@fieldwise/contracts';
import { problemSchema, standardErrors } from './problem.js';

/** Errors of a route that names one record: the standard ones plus 404. */
export const recordErrors = { ...standardErrors, 404: problemSchema } as const;

/** Errors of a route that calls a backend: anything above plus 504 (deadline). */
export const backendErrors = {
  ...recordErrors,
  500: problemSchema,
  504: problemSchema,
} as const;

/** An amount of money as the public API shows it. */
export const moneySchema = z
  .object({
    currency: z.string().describe('ISO 4217 code, e.g. "USD"'),
    amount: z
      .number()
      .describe('Amount in currency units (1.5 is one and a half units)'),
  })
  .describe('Money');

/** Public view of a contract `Money`; null when the backend sent none. */
export function moneyOf(
  money: Money | undefined,
): z.infer<typeof moneySchema> | null {
  if (!money) return null;
  return { currency: money.currencyCode, amount: money.amountMicros / 1e6 };
}

/** `pageSize` and `pageToken` query parameters of a paged list. */
export const pageQuery = {
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe('Items per page, 1 to 500 (default 50)'),
  pageToken: z
    .string()
    .max(1024)
    .optional()
    .describe('`nextPageToken` of the previous page'),
};

/** The contract `PageRequest` for validated `pageQuery` values. */
export function pageRequestOf(query: {
  pageSize?: number | undefined;
  pageToken?: string | undefined;
}): { pageSize: number; pageToken: string } {
  return { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? '' };
}

/** The paging fields of a list response. */
export const pageFields = {
  nextPageToken: z
    .string()
    .nullable()
    .describe('Token for the next page; null on the last page'),
  totalSize: z
    .number()
    .int()
    .describe('Items matching the filters across all pages'),
};

/** Public view of a contract `PageInfo`. */
export function pageOf(page: PageInfo | undefined): {
  nextPageToken: string | null;
  totalSize: number;
} {
  return {
    nextPageToken: page?.nextPageToken ? page.nextPageToken : null,
    totalSize: page?.totalSize ?? 0,
  };
}

/**
 * A query parameter that may repeat or hold a comma-separated list
 * (`?product=stream&product=connect` or `?product=stream,connect`).
 */
export function listParam(item: z.ZodString, description: string) {
  return z
    .union([item, z.array(item).max(50)])
    .optional()
    .transform((value) =>
      (value === undefined ? [] : Array.isArray(value) ? value : [value])
        .flatMap((entry) => entry.split(','))
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    )
    .describe(`${description}; repeat the parameter or separate by commas`);
}

/** A record id in a path or query (opaque, bounded, no control characters). */
export const recordId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, ".", "_", ":" and "-" only');

/** A nullable string: the contracts use "" for "absent". */
export function orNull(value: string): string | null {
  return value === '' ? null : value;
}

/**
 * Maps contract enum numbers to lower snake_case names, e.g.
 * `OPPORTUNITY_STAGE_CLOSED_WON` → `closed_won`. `names` must hold
 * `unspecified`: values this build does not know map to it, so a newer
 * backend never breaks a response.
 */
export function enumNames<
  const N extends readonly ['unspecified', ...string[]],
>(
  names: N,
  toJson: (value: number) => string,
  prefix: string,
): (value: number) => N[number] {
  const known = new Set<string>(names);
  const isKnown = (name: string): name is N[number] => known.has(name);
  return (value) => {
    const name = toJson(value).replace(prefix, '').toLowerCase();
    return isKnown(name) ? name : 'unspecified';
  };
}
