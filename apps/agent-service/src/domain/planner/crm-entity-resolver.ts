import {
  FindAccountsRequest,
  GetAccount360Request,
  ListContactsRequest,
} from '@fieldwise/contracts';
import type { CrmTools, DownstreamCall } from '../tools/ports.js';
import type { EntityMatch, EntityResolver } from './ports.js';
import { contentWords } from './text-features.js';

/** What {@link createCrmEntityResolver} needs. */
export interface CrmEntityResolverDeps {
  /** The CRM as the tools reach it (the gRPC adapter in production). */
  readonly crm: Pick<
    CrmTools,
    'findAccounts' | 'getAccount360' | 'listContacts'
  >;
  /** The end user's call context (principal, deadline, signal) for each lookup. */
  readonly call: () => DownstreamCall;
}

/**
 * The production {@link EntityResolver}: every lookup is a CRM call as the
 * END USER, so only records in the user's territories are ever matched.
 * Accounts use the CRM's own fuzzy matcher and scores; contacts the CRM's
 * name/title filter; opportunities and use cases the account's 360 view
 * (open opportunities, top use cases), ranked by word overlap. A CRM
 * error (NOT_FOUND for an invisible account included) reads as no match.
 */
export function createCrmEntityResolver(
  deps: CrmEntityResolverDeps,
): EntityResolver {
  const view = async (accountId: string) => {
    try {
      return await deps.crm.getAccount360(
        GetAccount360Request.fromPartial({ accountId }),
        deps.call(),
      );
    } catch {
      return undefined;
    }
  };
  return {
    async findAccounts(query) {
      try {
        const response = await deps.crm.findAccounts(
          FindAccountsRequest.fromPartial({ query, page: { pageSize: 10 } }),
          deps.call(),
        );
        return response.accounts.flatMap((m) =>
          m.account === undefined
            ? []
            : [{ id: m.account.id, name: m.account.name, score: m.score }],
        );
      } catch {
        return [];
      }
    },
    async findContacts(accountId, query) {
      try {
        const response = await deps.crm.listContacts(
          ListContactsRequest.fromPartial({
            accountId,
            page: { pageSize: 100 },
          }),
          deps.call(),
        );
        return rank(
          response.contacts.map((c) => ({
            id: c.id,
            name: `${c.firstName} ${c.lastName}`.trim(),
            extra: c.title,
          })),
          query,
          0.5,
        );
      } catch {
        return [];
      }
    },
    async findOpportunities(accountId, query) {
      const response = await view(accountId);
      return rank(
        response?.openOpportunities ?? [],
        query,
        query.trim() === '' ? 0 : 0.5,
      );
    },
    async findUseCases(accountId, query) {
      const response = await view(accountId);
      return rank(
        response?.topUseCases ?? [],
        query,
        query.trim() === '' ? 0 : 0.5,
      );
    },
  };
}

/**
 * Ranks records by the share of the query's words found in their name (and
 * `extra`, e.g. a contact's title); an empty query scores every record 0.5.
 */
export function rank(
  records: readonly { id: string; name: string; extra?: string }[],
  query: string,
  min: number,
): EntityMatch[] {
  const wanted = contentWords(query);
  return records
    .map((r) => {
      const have = new Set(contentWords(`${r.name} ${r.extra ?? ''}`));
      const score =
        wanted.length === 0
          ? 0.5
          : wanted.filter((w) => have.has(w)).length / wanted.length;
      return { id: r.id, name: r.name, score };
    })
    .filter((m) => m.score >= min)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
