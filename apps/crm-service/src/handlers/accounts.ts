import { NotFoundError } from '@fieldwise/errors';
import type {
  AccountMatch as AccountMatchMessage,
  CompetitorPresence,
  ConsumptionSlice,
  CrmServiceService,
  GetAccount360Response,
} from '@fieldwise/contracts';
import type { ServiceHandlers } from '@fieldwise/grpc';
import { z } from 'zod';
import {
  account360,
  findAccounts,
  resolveAccess,
  type Account360,
  type AccountMatch,
  type ConsumptionBreakdown,
} from '../domain/index.js';
import { idSchema } from '../domain/functions/common-inputs.js';
import { parseInput } from '../domain/validation.js';
import {
  encodeContact,
  encodeOpportunity,
  encodeSupportCase,
  encodeUseCase,
  encodeUser,
  growthFraction,
  money,
} from './encode-records.js';
import { severityToProto } from './enum-maps.js';
import {
  asOf,
  regionMap,
  scopeOf,
  type CrmHandlerDeps,
} from './handler-deps.js';
import { pageInfo, pageOf, resolvePage } from './paging.js';
import { optionalText } from './request-fields.js';
import {
  nameSimilarity,
  normalizeName,
} from '../domain/functions/fuzzy-match.js';

type AccountHandlers = Pick<
  ServiceHandlers<typeof CrmServiceService>,
  | 'findAccounts'
  | 'getAccount360'
  | 'getOpportunity'
  | 'getUseCase'
  | 'listContacts'
>;

/** The domain's page limit for `findAccounts`. */
const FIND_PAGE = { defaultSize: 20, maxSize: 100 } as const;
const filtersSchema = z.object({
  ownerUserId: idSchema.optional(),
  domain: z.string().max(253).optional(),
});
const idRequest = (field: string) => z.object({ [field]: idSchema });
const contactsSchema = z.object({
  accountId: idSchema,
  query: z.string().max(200).optional(),
});

/**
 * Account reads: fuzzy search, the 360 view, single opportunities and use
 * cases, and an account's contacts. Everything is scoped by the verified
 * principal; an invisible record is NOT_FOUND, exactly like a missing one.
 */
export function accountHandlers(deps: CrmHandlerDeps): AccountHandlers {
  const { crm } = deps;
  return {
    async findAccounts(request, ctx) {
      const scope = scopeOf(ctx);
      const filters = parseInput(filtersSchema, {
        ownerUserId: optionalText(request.ownerUserId),
        domain: optionalText(request.domain),
      });
      const query = request.query;
      const page = resolvePage(request.page, { query, ...filters }, FIND_PAGE);
      const regions = regionMap(deps);
      const encode = (m: AccountMatch): AccountMatchMessage => ({
        account: {
          id: m.id,
          name: m.name,
          domain: m.domain ?? '',
          industry: m.industry ?? '',
          segment: m.segment ?? '',
          territory: m.territoryId,
          region: regions.get(m.territoryId) ?? '',
          ownerUserId: m.owner?.id ?? '',
          ownerName: m.owner?.name ?? '',
          arr: money(m.arrUsd),
        },
        score: m.score,
      });
      if (filters.ownerUserId === undefined && filters.domain === undefined) {
        const result = await findAccounts(crm, scope, {
          query,
          limit: page.size,
          offset: page.offset,
        });
        return {
          accounts: result.items.map(encode),
          page: pageInfo(page, result.total),
        };
      }
      // The domain matches one free-text query; exact owner and domain
      // filters apply to its complete ranking, read page by page.
      const domain = filters.domain?.toLowerCase();
      const all: AccountMatch[] = [];
      let offset: number | null = 0;
      while (offset !== null) {
        const result = await findAccounts(crm, scope, {
          query: query === '' && domain !== undefined ? domain : query,
          limit: FIND_PAGE.maxSize,
          offset,
        });
        for (const m of result.items) {
          if (
            (filters.ownerUserId === undefined ||
              m.owner?.id === filters.ownerUserId) &&
            (domain === undefined || m.domain?.toLowerCase() === domain)
          ) {
            all.push(m);
          }
        }
        offset = result.nextOffset;
      }
      return {
        accounts: pageOf(all, page).map(encode),
        page: pageInfo(page, all.length),
      };
    },

    async getAccount360(request, ctx) {
      const scope = scopeOf(ctx);
      const view = await account360(crm, scope, {
        accountId: request.accountId,
      });
      const owner = view.owner
        ? await crm.store.findUser(scope.tenant, view.owner.id)
        : undefined;
      return encode360(view, owner ? encodeUser(owner) : undefined, {
        regions: regionMap(deps),
        tenant: scope.tenant,
        asOf: asOf(deps),
      });
    },

    async getOpportunity(request, ctx) {
      const { opportunityId } = parseInput(idRequest('opportunityId'), {
        opportunityId: request.opportunityId,
      }) as { opportunityId: string };
      const access = await resolveAccess(crm.store, scopeOf(ctx));
      const record = await crm.store.getOpportunity(access, opportunityId);
      if (!record) throw new NotFoundError('opportunity', opportunityId);
      return { opportunity: encodeOpportunity(record) };
    },

    async getUseCase(request, ctx) {
      const { useCaseId } = parseInput(idRequest('useCaseId'), {
        useCaseId: request.useCaseId,
      }) as { useCaseId: string };
      const access = await resolveAccess(crm.store, scopeOf(ctx));
      const record = await crm.store.getUseCase(access, useCaseId);
      if (!record) throw new NotFoundError('use_case', useCaseId);
      const sponsor = record.executiveSponsorId
        ? await crm.store.getContact(access, record.executiveSponsorId)
        : undefined;
      return { useCase: encodeUseCase(record, sponsor?.name ?? '') };
    },

    async listContacts(request, ctx) {
      const input = parseInput(contactsSchema, {
        accountId: request.accountId,
        query: optionalText(request.query.trim()),
      });
      const page = resolvePage(request.page, input);
      const access = await resolveAccess(crm.store, scopeOf(ctx));
      const account = await crm.store.getAccount(access, input.accountId);
      if (!account) throw new NotFoundError('account', input.accountId);
      let contacts = await crm.store.listContacts(access, account.id);
      if (input.query !== undefined) {
        const q = normalizeName(input.query);
        contacts = contacts.filter(
          (c) =>
            (c.title ?? '')
              .toLowerCase()
              .includes(input.query!.toLowerCase()) ||
            nameSimilarity(q, normalizeName(c.name)) >= 0.5,
        );
      }
      return {
        contacts: pageOf(contacts, page).map(encodeContact),
        page: pageInfo(page, contacts.length),
      };
    },
  };
}

interface Encode360Context {
  readonly regions: ReadonlyMap<string, string>;
  readonly tenant: string;
  readonly asOf: string;
}

/**
 * The 360 view in contract form. Consumption slices: one per product line
 * (cloud empty: all clouds) then one per cloud (product line empty: all
 * product lines), each by last month's spend, because the domain breaks
 * spend down along each dimension separately.
 */
function encode360(
  view: Account360,
  owner: ReturnType<typeof encodeUser> | undefined,
  context: Encode360Context,
): GetAccount360Response {
  const { account } = view;
  const arr = money(view.arrUsd);
  const slice = (
    b: ConsumptionBreakdown,
    productLine: string,
    cloud: string,
  ): ConsumptionSlice => {
    const mom = growthFraction(b.momGrowthPct);
    const yoy = growthFraction(b.yoyGrowthPct);
    return {
      productLine,
      cloud,
      lastMonth: money(b.lastMonthUsd),
      trailingTwelveMonths: money(b.trailing12MonthsUsd),
      ...(mom === undefined ? {} : { momGrowth: mom }),
      ...(yoy === undefined ? {} : { yoyGrowth: yoy }),
    };
  };
  const competitors = new Map<string, CompetitorPresence>();
  for (const c of view.competitors) {
    const entry = competitors.get(c.competitor) ?? {
      competitor: c.competitor,
      productLines: [],
      status: '',
      notes: '',
    };
    if (c.productLine !== null && !entry.productLines.includes(c.productLine))
      entry.productLines.push(c.productLine);
    if (c.notes !== null && entry.notes === '') entry.notes = c.notes;
    competitors.set(c.competitor, entry);
  }
  return {
    profile: {
      summary: {
        id: account.id,
        name: account.name,
        domain: account.domain ?? '',
        industry: account.industry ?? '',
        segment: account.segment ?? '',
        territory: account.territory?.id ?? '',
        region: account.territory?.region ?? '',
        ownerUserId: view.owner?.id ?? '',
        ownerName: view.owner?.name ?? '',
        arr,
      },
      country: account.country ?? '',
      employeeCount: account.employees ?? 0,
      description: '',
      customerSince:
        account.type === 'Customer' && account.createdAt
          ? account.createdAt.slice(0, 10)
          : '',
      tenant: context.tenant,
    },
    ...(owner ? { owner } : {}),
    arr,
    openOpportunities: view.openOpportunities.map(encodeOpportunity),
    topUseCases: view.topUseCases.map((u) => encodeUseCase(u)),
    consumption: [
      ...view.consumption.byProductLine.map((b) => slice(b, b.key, '')),
      ...view.consumption.byCloud.map((b) => slice(b, '', b.key)),
    ],
    openSupportCases: view.supportCases.open.map(encodeSupportCase),
    openCasesBySeverity: Object.entries(view.supportCases.openBySeverity).map(
      ([severity, count]) => ({ severity: severityToProto(severity), count }),
    ),
    recentNews: view.recentNews.map((n) => ({
      id: n.id,
      title: n.headline,
      url: n.url,
      source: n.source,
      publishedOn: n.publishedAt.slice(0, 10),
      summary: '',
    })),
    competitors: [...competitors.values()],
    asOf: context.asOf,
  };
}
