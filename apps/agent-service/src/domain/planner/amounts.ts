const SUFFIX: Readonly<Record<string, number>> = {
  k: 1_000,
  thousand: 1_000,
  m: 1_000_000,
  mm: 1_000_000,
  million: 1_000_000,
  b: 1_000_000_000,
  bn: 1_000_000_000,
  billion: 1_000_000_000,
};

/**
 * The first money amount in a text, in whole units: "$250k" → 250000,
 * "1.2M" → 1200000, "$1,500,000" → 1500000, "250 thousand" → 250000.
 * A bare number counts only with a `$` or a magnitude suffix, so dates,
 * percentages and counts are not taken for amounts.
 */
export function parseAmount(text: string): number | undefined {
  const pattern =
    /(\$|usd\s*)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|mm|m|bn|b|thousand|million|billion)?\b(?!\s*%)/gi;
  for (const match of text.matchAll(pattern)) {
    const [, currency, digits, suffix] = match;
    if (currency === undefined && suffix === undefined) continue;
    const base = Number((digits ?? '').replace(/,/g, ''));
    if (!Number.isFinite(base)) continue;
    const factor =
      suffix === undefined ? 1 : (SUFFIX[suffix.toLowerCase()] ?? 1);
    return Math.round(base * factor * 100) / 100;
  }
  return undefined;
}

/** The first percentage in a text ("70%", "70 percent"), as a number. */
export function parsePercent(text: string): number | undefined {
  const m = /(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b)/i.exec(text);
  return m === null ? undefined : Number(m[1]);
}
