/** Date helpers on ISO strings, all in UTC so results never depend on the host's zone. */

const DAY_MS = 86_400_000;

/** Parses `YYYY-MM-DD` as UTC midnight. */
export function parseIsoDate(date: string): Date {
  const parsed = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(parsed.getTime()))
    throw new RangeError(`Invalid date '${date}'`);
  return parsed;
}

/** `YYYY-MM-DD` of a Date (UTC). */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Adds whole days to an ISO date. */
export function addDays(date: string, days: number): string {
  return isoDate(new Date(parseIsoDate(date).getTime() + days * DAY_MS));
}

/** `YYYY-MM` of an ISO date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** Adds whole months to a `YYYY-MM` month. */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const mon = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(mon).padStart(2, '0')}`;
}

/** The last day of the calendar quarter holding `date`. */
export function quarterEnd(date: string): string {
  const d = parseIsoDate(date);
  const lastMonth = Math.floor(d.getUTCMonth() / 3) * 3 + 2;
  return isoDate(new Date(Date.UTC(d.getUTCFullYear(), lastMonth + 1, 0)));
}

/** The first day of the calendar quarter holding `date`. */
export function quarterStart(date: string): string {
  const d = parseIsoDate(date);
  const firstMonth = Math.floor(d.getUTCMonth() / 3) * 3;
  return isoDate(new Date(Date.UTC(d.getUTCFullYear(), firstMonth, 1)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (parseIsoDate(to).getTime() - parseIsoDate(from).getTime()) / DAY_MS,
  );
}
