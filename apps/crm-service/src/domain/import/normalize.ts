import {
  CURRENCIES,
  OPPORTUNITY_STAGES,
  type OpportunityStage,
} from '../model.js';

function key(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const STAGE_ALIASES: Readonly<Record<string, OpportunityStage>> = {
  prospecting: 'Prospecting',
  prospect: 'Prospecting',
  qualification: 'Qualification',
  qualify: 'Qualification',
  qualified: 'Qualification',
  discovery: 'Discovery',
  needsanalysis: 'Discovery',
  iddecisionmakers: 'Discovery',
  valueproposition: 'Discovery',
  proposal: 'Proposal',
  proposalpricequote: 'Proposal',
  quote: 'Proposal',
  negotiation: 'Negotiation',
  negotiationreview: 'Negotiation',
  negotiating: 'Negotiation',
  closedwon: 'Closed Won',
  closewon: 'Closed Won',
  won: 'Closed Won',
  closedlost: 'Closed Lost',
  closelost: 'Closed Lost',
  lost: 'Closed Lost',
};

/** "closed/won", "Closed-Won", "negotiation/review" → canonical stage; undefined when unknown. */
export function normalizeStage(raw: string): OpportunityStage | undefined {
  const canonical = OPPORTUNITY_STAGES.find((s) => s === raw.trim());
  return canonical ?? STAGE_ALIASES[key(raw)];
}

const FORECAST_ALIASES: Readonly<Record<string, string>> = {
  pipeline: 'Pipeline',
  bestcase: 'Best Case',
  upside: 'Best Case',
  commit: 'Commit',
  committed: 'Commit',
  closed: 'Closed',
  omitted: 'Omitted',
};

/** Canonical forecast category; undefined when unknown or empty. */
export function normalizeForecast(raw: string): string | undefined {
  return FORECAST_ALIASES[key(raw)];
}

/** The forecast category a stage implies. */
export function forecastForStage(stage: OpportunityStage): string {
  if (stage === 'Closed Won') return 'Closed';
  if (stage === 'Closed Lost') return 'Omitted';
  if (stage === 'Negotiation') return 'Commit';
  if (stage === 'Proposal') return 'Best Case';
  return 'Pipeline';
}

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  $: 'USD',
  US$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  A$: 'AUD',
  C$: 'CAD',
};

/** "$", "eur", " Usd " → ISO code; undefined when not a known currency. */
export function normalizeCurrency(raw: string): string | undefined {
  const trimmed = raw.trim();
  const symbol =
    CURRENCY_SYMBOLS[trimmed.toUpperCase()] ?? CURRENCY_SYMBOLS[trimmed];
  if (symbol) return symbol;
  const upper = trimmed.toUpperCase();
  return (CURRENCIES as readonly string[]).includes(upper) ? upper : undefined;
}

/** A parsed amount and the currency its text named, if any. */
export interface ParsedAmount {
  readonly value: number;
  readonly currency?: string;
  /** True when the text was not a plain decimal number. */
  readonly reformatted: boolean;
}

/**
 * Parses "1.234,50", "$12k", "12,000.00", "EUR 5.000", "1.5M". With both
 * separators the last one is decimal; a lone separator followed by exactly
 * three-digit groups is a thousands separator; otherwise it is decimal.
 * Returns undefined for text that is not an amount or is negative.
 */
export function parseAmount(raw: string): ParsedAmount | undefined {
  let text = raw.trim();
  if (text === '') return undefined;
  let currency: string | undefined;
  const symbol =
    /^(US\$|A\$|C\$|[$€£¥])\s*/i.exec(text) ?? /\s*([$€£¥])$/.exec(text);
  if (symbol?.[1]) {
    currency = normalizeCurrency(symbol[1]);
    text = text.replace(symbol[0], '');
  }
  const code = /^([A-Za-z]{3})\s+|\s+([A-Za-z]{3})$/.exec(text);
  if (code) {
    const found = normalizeCurrency(code[1] ?? code[2] ?? '');
    if (!found) return undefined;
    currency = found;
    text = text.replace(code[0], '');
  }
  let multiplier = 1;
  const suffix = /([kKmM])$/.exec(text);
  if (suffix) {
    multiplier = suffix[1]?.toLowerCase() === 'k' ? 1_000 : 1_000_000;
    text = text.slice(0, -1).trim();
  }
  text = text.replace(/[\s']/g, '');
  if (!/^\d[\d.,]*$/.test(text)) return undefined;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let normalized: string;
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    normalized = text.split(thousands).join('').replace(decimal, '.');
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const grouped = new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`).test(text);
    if (grouped) normalized = text.split(sep).join('');
    else if (text.split(sep).length === 2) normalized = text.replace(sep, '.');
    else return undefined;
  } else normalized = text;
  const value = Number(normalized) * multiplier;
  if (!Number.isFinite(value) || value < 0) return undefined;
  const plain = /^\d+(\.\d+)?$/.test(raw.trim());
  return { value, ...(currency ? { currency } : {}), reformatted: !plain };
}

/** A parsed date and whether its text was something other than ISO. */
export interface ParsedDate {
  readonly iso: string;
  readonly reformatted: boolean;
}

function validIso(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  )
    return undefined;
  if (y < 1900 || y > 2100) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * Parses ISO (`2026-03-04`, with or without a time), US `MM/DD/YYYY`,
 * European `DD.MM.YYYY` and Excel serial day numbers (1900 date system) into
 * `YYYY-MM-DD`. Returns undefined for anything else or an impossible date.
 */
export function parseDate(raw: string): ParsedDate | undefined {
  const text = raw.trim();
  let m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      text,
    );
  if (m) {
    const iso = validIso(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? { iso, reformatted: text.length !== 10 } : undefined;
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) {
    const iso = validIso(Number(m[3]), Number(m[1]), Number(m[2]));
    return iso ? { iso, reformatted: true } : undefined;
  }
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (m) {
    const iso = validIso(Number(m[3]), Number(m[2]), Number(m[1]));
    return iso ? { iso, reformatted: true } : undefined;
  }
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const serial = Math.floor(Number(text));
    if (serial < 20_000 || serial > 80_000) return undefined;
    // Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 is accounted for.
    const iso = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return { iso, reformatted: true };
  }
  return undefined;
}

const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  us: 'US',
  usa: 'US',
  unitedstates: 'US',
  unitedstatesofamerica: 'US',
  ca: 'CA',
  canada: 'CA',
  br: 'BR',
  brazil: 'BR',
  brasil: 'BR',
  mx: 'MX',
  mexico: 'MX',
  cl: 'CL',
  chile: 'CL',
  co: 'CO',
  colombia: 'CO',
  ar: 'AR',
  argentina: 'AR',
  gb: 'GB',
  uk: 'GB',
  unitedkingdom: 'GB',
  england: 'GB',
  scotland: 'GB',
  ie: 'IE',
  ireland: 'IE',
  de: 'DE',
  germany: 'DE',
  deutschland: 'DE',
  at: 'AT',
  austria: 'AT',
  ch: 'CH',
  switzerland: 'CH',
  fr: 'FR',
  france: 'FR',
  be: 'BE',
  belgium: 'BE',
  nl: 'NL',
  netherlands: 'NL',
  thenetherlands: 'NL',
  lu: 'LU',
  luxembourg: 'LU',
  se: 'SE',
  sweden: 'SE',
  no: 'NO',
  norway: 'NO',
  dk: 'DK',
  denmark: 'DK',
  fi: 'FI',
  finland: 'FI',
  au: 'AU',
  australia: 'AU',
  nz: 'NZ',
  newzealand: 'NZ',
  jp: 'JP',
  japan: 'JP',
  in: 'IN',
  india: 'IN',
  sg: 'SG',
  singapore: 'SG',
  id: 'ID',
  indonesia: 'ID',
  my: 'MY',
  malaysia: 'MY',
};

/** Territories a country may belong to, by ISO country code. */
export const COUNTRY_TERRITORIES: Readonly<Record<string, readonly string[]>> =
  {
    US: ['amer-east', 'amer-central', 'amer-west'],
    CA: ['amer-canada'],
    BR: ['amer-latam'],
    MX: ['amer-latam'],
    CL: ['amer-latam'],
    CO: ['amer-latam'],
    AR: ['amer-latam'],
    GB: ['emea-uki'],
    IE: ['emea-uki'],
    DE: ['emea-dach'],
    AT: ['emea-dach'],
    CH: ['emea-dach'],
    FR: ['emea-france-benelux'],
    BE: ['emea-france-benelux'],
    NL: ['emea-france-benelux'],
    LU: ['emea-france-benelux'],
    SE: ['emea-nordics'],
    NO: ['emea-nordics'],
    DK: ['emea-nordics'],
    FI: ['emea-nordics'],
    AU: ['apj-anz'],
    NZ: ['apj-anz'],
    JP: ['apj-japan'],
    IN: ['apj-asean-india'],
    SG: ['apj-asean-india'],
    ID: ['apj-asean-india'],
    MY: ['apj-asean-india'],
  };

/** "United States", "USA", "us" → "US"; undefined when unknown. */
export function normalizeCountry(raw: string): string | undefined {
  return COUNTRY_ALIASES[key(raw)];
}

const INDUSTRY_ALIASES: Readonly<Record<string, string>> = {
  finance: 'Financial Services',
  financial: 'Financial Services',
  banking: 'Financial Services',
  insurance: 'Financial Services',
  financialservices: 'Financial Services',
  retail: 'Retail',
  ecommerce: 'Retail',
  consumergoods: 'Retail',
  healthcare: 'Healthcare',
  health: 'Healthcare',
  lifesciences: 'Healthcare',
  pharma: 'Healthcare',
  manufacturing: 'Manufacturing',
  industrial: 'Manufacturing',
  automotive: 'Manufacturing',
  telecommunications: 'Telecommunications',
  telecom: 'Telecommunications',
  telco: 'Telecommunications',
  media: 'Media',
  entertainment: 'Media',
  publishing: 'Media',
  publicsector: 'Public Sector',
  government: 'Public Sector',
  education: 'Public Sector',
  energy: 'Energy',
  utilities: 'Energy',
  oilgas: 'Energy',
  mining: 'Energy',
  technology: 'Technology',
  tech: 'Technology',
  software: 'Technology',
  hightech: 'Technology',
  logistics: 'Logistics',
  transportation: 'Logistics',
  shipping: 'Logistics',
};

/** Maps free-text industries onto the vocabulary; undefined when unknown. */
export function normalizeIndustry(
  raw: string,
  industries: readonly string[],
): string | undefined {
  const exact = industries.find((i) => i === raw.trim());
  return exact ?? INDUSTRY_ALIASES[key(raw)];
}

/** Segment from headcount, as the GOLD model defines it. */
export function segmentForEmployees(employees: number | null): string | null {
  if (employees === null) return null;
  if (employees >= 5000) return 'Enterprise';
  if (employees >= 1000) return 'Commercial';
  return 'Mid-Market';
}
