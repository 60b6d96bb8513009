/** Token and trigram similarity for account names, domains and owners. */

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'gmbh',
  'plc',
  'ag',
  'sa',
  'nv',
  'bv',
  'kk',
  'pty',
  'srl',
  'spa',
  'the',
]);

/** Common abbreviations, expanded before comparing. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  intl: 'international',
  mfg: 'manufacturing',
  fin: 'financial',
  tech: 'technology',
  svcs: 'services',
  svc: 'services',
  grp: 'group',
  hlth: 'health',
  ins: 'insurance',
  telco: 'telecom',
  natl: 'national',
  sys: 'systems',
  '&': 'and',
};

/**
 * Lowercases, strips accents and punctuation, expands abbreviations and drops
 * legal suffixes: "ACME Corp." and "Acme Corporation" both become "acme".
 */
export function normalizeName(text: string): string {
  const tokens = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9&]+/g, ' ')
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => ABBREVIATIONS[t] ?? t);
  const kept = tokens.filter((t) => !LEGAL_SUFFIXES.has(t));
  return (kept.length > 0 ? kept : tokens).join(' ');
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++)
    grams.add(padded.slice(i, i + 3));
  return grams;
}

/** Jaccard similarity of padded character trigrams, 0..1 (pg_trgm style). */
export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ga = trigrams(a);
  const gb = trigrams(b);
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared += 1;
  const union = ga.size + gb.size - shared;
  return union === 0 ? 0 : shared / union;
}

function tokenScore(
  queryToken: string,
  candidateTokens: readonly string[],
): number {
  let best = 0;
  for (const token of candidateTokens) {
    if (token === queryToken) return 1;
    if (queryToken.length >= 3 && token.startsWith(queryToken))
      best = Math.max(best, 0.9);
    best = Math.max(best, trigramSimilarity(queryToken, token));
  }
  return best;
}

/**
 * How well a normalized query matches a normalized candidate, 0..1: the best
 * of whole-string trigram similarity and the mean best-token match (exact,
 * prefix or typo-tolerant trigram) over the query's tokens.
 */
export function nameSimilarity(query: string, candidate: string): number {
  if (query === '' || candidate === '') return 0;
  if (query === candidate) return 1;
  const queryTokens = query.split(' ');
  const candidateTokens = candidate.split(' ');
  const mean =
    queryTokens.reduce((sum, t) => sum + tokenScore(t, candidateTokens), 0) /
    queryTokens.length;
  // A query covering fewer tokens than the name is a weaker match.
  const coverage = Math.min(1, queryTokens.length / candidateTokens.length);
  return Math.max(
    trigramSimilarity(query, candidate),
    mean * (0.85 + 0.15 * coverage),
  );
}

/** The registrable part of a domain or URL: "https://www.Acme.com/x" → "acme.com". */
export function normalizeDomain(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '')
    .replace(/\.$/, '');
}
