import { z } from 'zod';
import type { AccountIndexEntry } from '../../adapters/store/port.js';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import { parseInput } from '../validation.js';
import type { CrmDeps } from './deps.js';
import {
  nameSimilarity,
  normalizeDomain,
  normalizeName,
} from './fuzzy-match.js';

/** Input of {@link findAccounts}. */
export const findAccountsInputSchema = z.object({
  /** Name, domain or owner; empty lists every visible account by name. */
  query: z.string().max(200).default(''),
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).max(100_000).default(0),
});

/** One account found, with why it matched. */
export interface AccountMatch {
  readonly id: string;
  readonly name: string;
  readonly domain: string | null;
  readonly territoryId: string;
  readonly industry: string | null;
  readonly segment: string | null;
  readonly arrUsd: number;
  readonly owner: {
    id: string;
    name: string | null;
    email: string | null;
  } | null;
  /** 0..1; 1 for an exact name or domain match. */
  readonly score: number;
  readonly matchedOn: 'name' | 'domain' | 'owner' | 'list';
}

/** A page of matches; `nextOffset` is null on the last page. */
export interface FindAccountsResult {
  readonly items: readonly AccountMatch[];
  readonly total: number;
  readonly nextOffset: number | null;
}

/** Scores at or above this count as a match. */
const MATCH_THRESHOLD = 0.5;

/**
 * Finds visible accounts by fuzzy name ("acme corp", "ACME", "acmee" all find
 * Acme Corporation), domain ("acme.com", "www.acme.com") or owner name/email,
 * best match first, paged. Only accounts in the caller's scope are fetched.
 */
export async function findAccounts(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof findAccountsInputSchema>,
): Promise<FindAccountsResult> {
  const { query, limit, offset } = parseInput(findAccountsInputSchema, input);
  const access = await resolveAccess(deps.store, scope);
  const index = await deps.store.listAccountIndex(access);
  const trimmed = query.trim();
  let ranked: AccountMatch[];
  if (trimmed === '') {
    ranked = index.map((entry) => toMatch(entry, 1, 'list'));
  } else {
    const normalized = normalizeName(trimmed);
    const asDomain = normalizeDomain(trimmed);
    const looksLikeDomain = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(asDomain);
    ranked = [];
    for (const entry of index) {
      const match = scoreEntry(
        entry,
        normalized,
        asDomain,
        looksLikeDomain,
        trimmed,
      );
      if (match.score >= MATCH_THRESHOLD)
        ranked.push(toMatch(entry, match.score, match.on));
    }
    ranked.sort(
      (a, b) =>
        b.score - a.score ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    );
  }
  const items = ranked.slice(offset, offset + limit);
  return {
    items,
    total: ranked.length,
    nextOffset: offset + limit < ranked.length ? offset + limit : null,
  };
}

function scoreEntry(
  entry: AccountIndexEntry,
  normalizedQuery: string,
  domainQuery: string,
  looksLikeDomain: boolean,
  rawQuery: string,
): { score: number; on: AccountMatch['matchedOn'] } {
  // "acme.com" compares its label ("acme") with names, not its TLD.
  const nameQuery = looksLikeDomain
    ? normalizeName(domainQuery.split('.')[0] ?? domainQuery)
    : normalizedQuery;
  let best: { score: number; on: AccountMatch['matchedOn'] } = {
    score: nameSimilarity(nameQuery, normalizeName(entry.name)),
    on: 'name',
  };
  if (entry.domain) {
    const domain = entry.domain.toLowerCase();
    const label = domain.split('.')[0] ?? domain;
    const domainScore = looksLikeDomain
      ? domain === domainQuery
        ? 1
        : nameSimilarity(domainQuery, domain) * 0.9
      : nameSimilarity(normalizedQuery.replace(/ /g, ''), label) * 0.9;
    if (domainScore > best.score) best = { score: domainScore, on: 'domain' };
  }
  if (entry.ownerEmail && rawQuery.includes('@')) {
    if (entry.ownerEmail.toLowerCase() === rawQuery.toLowerCase()) {
      return { score: 0.95, on: 'owner' };
    }
  }
  if (entry.ownerName) {
    const ownerScore =
      nameSimilarity(normalizedQuery, normalizeName(entry.ownerName)) * 0.85;
    if (ownerScore > best.score) best = { score: ownerScore, on: 'owner' };
  }
  return best;
}

function toMatch(
  entry: AccountIndexEntry,
  score: number,
  matchedOn: AccountMatch['matchedOn'],
): AccountMatch {
  return {
    id: entry.id,
    name: entry.name,
    domain: entry.domain,
    territoryId: entry.territoryId,
    industry: entry.industry,
    segment: entry.segment,
    arrUsd: entry.arrUsd,
    owner: entry.ownerId
      ? { id: entry.ownerId, name: entry.ownerName, email: entry.ownerEmail }
      : null,
    score: Math.round(score * 1000) / 1000,
    matchedOn,
  };
}
