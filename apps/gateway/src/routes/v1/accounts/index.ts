import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CrmClient } from '../../../clients/crm-client.js';
import { downstreamCallOf } from '../../../clients/downstream-call.js';
import {
  backendErrors,
  moneyOf,
  pageOf,
  pageRequestOf,
} from '../../../schemas/common.js';
import {
  accountProfileOf,
  accountSummaryOf,
  competitorOf,
  consumptionSeriesOf,
  consumptionSliceOf,
  monthlyConsumptionOf,
  newsItemOf,
  opportunityOf,
  severityCountOf,
  supportCaseOf,
  useCaseOf,
  userOf,
} from '../../../schemas/crm-views.js';
import {
  requestedRange,
  trailingMonths,
  type MonthRange,
} from './month-window.js';
import {
  account360Response,
  accountIdParams,
  consumptionQuery,
  consumptionResponse,
  findAccountsQuery,
  findAccountsResponse,
  similarQuery,
  similarResponse,
} from './schemas.js';

export interface AccountRouteOptions {
  crm: CrmClient;
}

/**
 * `/v1/accounts`: search, the 360 view, consumption and similar customers.
 * The crm-service decides visibility from the signed principal: lists hold
 * only the caller's accounts and any other id is 404.
 */
export const accountRoutes: FastifyPluginCallback<AccountRouteOptions> = (
  app,
  { crm },
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/accounts',
    {
      schema: {
        summary: 'Search or list the accounts you may see',
        description:
          'Fuzzy search by name (or filter by owner or domain); without `q` lists every visible account by name, paged.',
        tags: ['accounts'],
        querystring: findAccountsQuery,
        response: { 200: findAccountsResponse, ...backendErrors },
      },
    },
    async (request) => {
      const { q, owner, domain } = request.query;
      const response = await crm.findAccounts(
        {
          query: q ?? '',
          ownerUserId: owner ?? '',
          domain: domain ?? '',
          page: pageRequestOf(request.query),
        },
        await downstreamCallOf(request),
      );
      return {
        items: response.accounts.map((match) => ({
          ...accountSummaryOf(match.account),
          score: match.score,
        })),
        ...pageOf(response.page),
      };
    },
  );

  typed.get(
    '/accounts/:id',
    {
      schema: {
        summary: 'Account 360 view',
        description:
          'Profile, owner, ARR, open opportunities, top use cases, consumption, open support cases, news and competitors. 404 for an account you may not see.',
        tags: ['accounts'],
        params: accountIdParams,
        response: { 200: account360Response, ...backendErrors },
      },
    },
    async (request) => {
      const view = await crm.getAccount360(
        { accountId: request.params.id },
        await downstreamCallOf(request),
      );
      return {
        account: accountProfileOf(view.profile),
        owner: view.owner ? userOf(view.owner) : null,
        arr: moneyOf(view.arr),
        openOpportunities: view.openOpportunities.map(opportunityOf),
        topUseCases: view.topUseCases.map(useCaseOf),
        consumption: view.consumption.map(consumptionSliceOf),
        openSupportCases: view.openSupportCases.map(supportCaseOf),
        openCasesBySeverity: view.openCasesBySeverity.map(severityCountOf),
        recentNews: view.recentNews.map(newsItemOf),
        competitors: view.competitors.map(competitorOf),
        asOf: view.asOf,
      };
    },
  );

  typed.get(
    '/accounts/:id/consumption',
    {
      schema: {
        summary: 'Consumption by month, product line and cloud, with growth',
        tags: ['accounts'],
        params: accountIdParams,
        querystring: consumptionQuery,
        response: { 200: consumptionResponse, ...backendErrors },
      },
    },
    async (request) => {
      const { months, productLine, cloud } = request.query;
      const call = await downstreamCallOf(request);
      const ask = (range: MonthRange) =>
        crm.getConsumption(
          {
            accountId: request.params.id,
            fromMonth: range.from,
            toMonth: range.to,
            productLines: productLine,
            clouds: cloud,
          },
          call,
        );
      let response = await ask(requestedRange(request.query));
      let keepFrom = '';
      if (months !== undefined && request.query.to === undefined) {
        // The latest month is known only now: trim, or widen past the
        // CRM's default twelve months.
        const latest = response.total.at(-1)?.month;
        if (latest !== undefined) {
          const range = trailingMonths(latest, months);
          if (months > response.total.length) response = await ask(range);
          keepFrom = range.from;
        }
      }
      const keep = (month: string) => month >= keepFrom;
      return {
        accountId: response.accountId,
        series: response.series
          .map((series) => consumptionSeriesOf(series, keep))
          .filter((series) => series.months.length > 0),
        total: response.total
          .filter((month) => keep(month.month))
          .map(monthlyConsumptionOf),
      };
    },
  );

  typed.get(
    '/accounts/:id/similar',
    {
      schema: {
        summary: 'Similar customers and the use cases live there',
        description:
          'Accounts like this one (summary fields only) and the kinds of use case live at them but absent here.',
        tags: ['accounts'],
        params: accountIdParams,
        querystring: similarQuery,
        response: { 200: similarResponse, ...backendErrors },
      },
    },
    async (request) => {
      const response = await crm.getSimilarCustomers(
        {
          accountId: request.params.id,
          limit: request.query.limit ?? 0,
          useCaseLimit: request.query.useCaseLimit ?? 0,
        },
        await downstreamCallOf(request),
      );
      return {
        similarAccounts: response.similarAccounts.map((similar) => ({
          account: accountSummaryOf(similar.account),
          similarity: similar.similarity,
          reasons: [...similar.reasons],
        })),
        recommendedUseCases: response.recommendedUseCases.map((rec) => ({
          category: rec.category,
          productLine: rec.productLine,
          revenue: moneyOf(rec.revenue),
          liveAtAccountIds: [...rec.liveAtAccountIds],
          reason: rec.reason,
        })),
      };
    },
  );
  done();
};
