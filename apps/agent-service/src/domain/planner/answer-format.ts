/** Formatting of figures exactly as tools return them (no rounding beyond display, no invention). */

/** A string field, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A number field, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/** An array field (empty when absent). */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A nested object field (empty when absent). */
export function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * A contract `Money` (`{ currencyCode, amountMicros }`; a zero amount is
 * omitted by the JSON encoding) as `$1,597,488` for USD or `EUR 1,250.5`
 * otherwise; `n/a` when absent.
 */
export function money(value: unknown): string {
  const m = obj(value);
  const code = str(m.currencyCode);
  if (code === undefined) return 'n/a';
  const amount = (num(m.amountMicros) ?? 0) / 1_000_000;
  const text = amount.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return code === 'USD' ? `$${text}` : `${code} ${text}`;
}

/** A growth fraction (0.04) as a signed percentage with one decimal (`+4.0%`). */
export function growth(value: unknown): string {
  const n = num(value);
  if (n === undefined) return 'n/a';
  const pct = (n * 100).toFixed(1);
  return `${n > 0 ? '+' : ''}${pct}%`;
}

const ENUM_PREFIXES =
  /^(OPPORTUNITY_STAGE|USE_CASE_STAGE|SUPPORT_SEVERITY|SUPPORT_CASE_STATUS|CRM_ENTITY_TYPE|DOCUMENT_TYPE)_/;

/** A contract enum name as people write it: `OPPORTUNITY_STAGE_CLOSED_WON` → `Closed Won`, severities stay `SEV1`. */
export function enumLabel(value: unknown): string {
  const text = str(value);
  if (text === undefined) return 'n/a';
  const bare = text.replace(ENUM_PREFIXES, '');
  if (/^SEV\d$/.test(bare)) return bare;
  return bare
    .toLowerCase()
    .split('_')
    .map((w) => (w === '' ? w : `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`))
    .join(' ');
}

/** The date part of an ISO timestamp. */
export function day(value: unknown): string {
  return (str(value) ?? 'n/a').slice(0, 10);
}
