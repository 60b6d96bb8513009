/** A calendar month `YYYY-MM` moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const [year, monthOfYear] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthOfYear - 1) + delta;
  const shiftedYear = Math.floor(index / 12);
  const shiftedMonth = (index % 12) + 1;
  return `${String(shiftedYear).padStart(4, '0')}-${String(shiftedMonth).padStart(2, '0')}`;
}

/** The consumption range the CRM is asked for (its `from_month`/`to_month`; "" = its default). */
export interface MonthRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The range to request for a `from`/`to`/`months` query. `months` counts
 * back from `to`; without `to` the CRM's latest month is not known yet, so
 * the default range is asked for and trimmed (see {@link trailingMonths}).
 */
export function requestedRange(query: {
  from?: string | undefined;
  to?: string | undefined;
  months?: number | undefined;
}): MonthRange {
  if (query.months !== undefined && query.to !== undefined) {
    return { from: shiftMonth(query.to, -(query.months - 1)), to: query.to };
  }
  return { from: query.from ?? '', to: query.to ?? '' };
}

/** The first month of the `months` months ending with `latest`. */
export function trailingMonths(latest: string, months: number): MonthRange {
  return { from: shiftMonth(latest, -(months - 1)), to: latest };
}
