import { z } from 'zod';

/** An account id as returned by find_accounts. */
export const accountIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .describe('Account id, as returned by find_accounts (not the account name).');

/** A calendar month `YYYY-MM`. */
export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/** A calendar date `YYYY-MM-DD`. */
export const dateSchema = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
    'expected YYYY-MM-DD',
  );

/** Renders micro-units of money as a decimal with its currency (`USD 1250000.00`). */
export function formatMoney(
  money: { currencyCode: string; amountMicros: number } | undefined,
): string {
  if (money === undefined) return 'unknown';
  return `${money.currencyCode} ${(money.amountMicros / 1_000_000).toFixed(2)}`;
}
