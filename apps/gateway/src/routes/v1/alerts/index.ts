import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CrmClient } from '../../../clients/crm-client.js';
import { downstreamCallOf } from '../../../clients/downstream-call.js';
import { backendErrors, recordId } from '../../../schemas/common.js';
import {
  blockerCountOf,
  blockerCountSchema,
  missingFieldsOf,
  missingFieldsSchema,
  opportunityOf,
  opportunitySchema,
  useCaseOf,
  useCaseSchema,
} from '../../../schemas/crm-views.js';

const hygieneQuery = z.object({
  horizonDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe('Look-ahead for go-lives in days, 1 to 365 (default 90)'),
  accountId: recordId.optional().describe('Only this account'),
  ownerUserId: recordId.optional().describe('Only this owner'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .describe('Items per list, 1 to 200 (default 20)'),
});

const hygieneResponse = z.object({
  asOf: z.string().describe('The date the horizon counts from (YYYY-MM-DD)'),
  horizonDays: z.number().int(),
  goingLive: z
    .array(useCaseSchema)
    .describe('Use cases going live within the horizon, soonest first'),
  topBlockers: z
    .array(blockerCountSchema)
    .describe('Blockers of the going-live use cases, most frequent first'),
  missingSponsor: z
    .array(useCaseSchema)
    .describe('Open use cases without an executive sponsor'),
  missingFields: z.array(missingFieldsSchema),
  pastCloseDate: z
    .array(opportunitySchema)
    .describe('Open opportunities whose close date has passed'),
});

/** `GET /v1/alerts/hygiene`: pipeline hygiene over the caller's visible accounts. */
export const alertRoutes: FastifyPluginCallback<{ crm: CrmClient }> = (
  app,
  { crm },
  done,
) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/alerts/hygiene',
    {
      schema: {
        summary: 'Pipeline hygiene alerts',
        description:
          'Use cases going live in the horizon and their top blockers, use cases missing an executive sponsor or key fields, and opportunities with past close dates, over the accounts you may see. An account id you may not see is 404.',
        tags: ['accounts'],
        querystring: hygieneQuery,
        response: { 200: hygieneResponse, ...backendErrors },
      },
    },
    async (request) => {
      const query = request.query;
      const response = await crm.getHygieneAlerts(
        {
          horizonDays: query.horizonDays ?? 0,
          accountId: query.accountId ?? '',
          ownerUserId: query.ownerUserId ?? '',
          limit: query.limit ?? 0,
        },
        await downstreamCallOf(request),
      );
      return {
        asOf: response.asOf,
        horizonDays: response.horizonDays,
        goingLive: response.goingLive.map(useCaseOf),
        topBlockers: response.topBlockers.map(blockerCountOf),
        missingSponsor: response.missingSponsor.map(useCaseOf),
        missingFields: response.missingFields.map(missingFieldsOf),
        pastCloseDate: response.pastCloseDate.map(opportunityOf),
      };
    },
  );
  done();
};
