import { z } from 'zod';
import {
  listParam,
  pageFields,
  pageQuery,
  recordId,
} from '../../../schemas/common.js';
import {
  accountProfileSchema,
  accountSummarySchema,
  competitorSchema,
  consumptionSeriesSchema,
  consumptionSliceSchema,
  monthlyConsumptionSchema,
  newsItemSchema,
  opportunitySchema,
  severityCountSchema,
  supportCaseSchema,
  useCaseSchema,
  userSchema,
} from '../../../schemas/crm-views.js';
import { moneySchema } from '../../../schemas/common.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const accountIdParams = z.object({
  id: recordId.describe('Account id'),
});

export const findAccountsQuery = z.object({
  q: z
    .string()
    .max(200)
    .optional()
    .describe('Fuzzy account name; empty lists every visible account'),
  owner: recordId.optional().describe('Only accounts of this owner user id'),
  domain: z
    .string()
    .max(253)
    .regex(/^[A-Za-z0-9.-]+$/, 'a domain name such as acme.com')
    .optional()
    .describe('Exact web domain, e.g. acme.com'),
  ...pageQuery,
});

export const findAccountsResponse = z.object({
  items: z.array(
    accountSummarySchema.extend({
      score: z
        .number()
        .describe('Match score in [0, 1]; 1 without a query or when exact'),
    }),
  ),
  ...pageFields,
});

export const account360Response = z.object({
  account: accountProfileSchema,
  owner: userSchema.nullable(),
  arr: moneySchema.nullable(),
  openOpportunities: z.array(opportunitySchema).describe('By close date'),
  topUseCases: z
    .array(useCaseSchema)
    .describe('Up to 5 use cases by annual revenue'),
  consumption: z
    .array(consumptionSliceSchema)
    .describe('Latest consumption per product line and cloud'),
  openSupportCases: z.array(supportCaseSchema).describe('Most severe first'),
  openCasesBySeverity: z.array(severityCountSchema),
  recentNews: z.array(newsItemSchema),
  competitors: z.array(competitorSchema),
  asOf: z.string().describe('Date the data is current as of (YYYY-MM-DD)'),
});

const month = z.string().regex(MONTH, 'a month YYYY-MM');

export const consumptionQuery = z
  .object({
    from: month.optional().describe('First month (YYYY-MM)'),
    to: month
      .optional()
      .describe('Last month (YYYY-MM); default the latest month with data'),
    months: z.coerce
      .number()
      .int()
      .min(1)
      .max(120)
      .optional()
      .describe(
        'Number of months ending with `to` (or the latest); not with `from`',
      ),
    productLine: listParam(
      z.string().min(1).max(64),
      'Product line ids to include (default all)',
    ),
    cloud: listParam(
      z.string().min(1).max(32),
      'Clouds to include, e.g. AWS (default all)',
    ),
  })
  .refine((query) => !(query.months !== undefined && query.from), {
    message: 'give either from or months, not both',
    path: ['months'],
  })
  .refine((query) => !(query.from && query.to && query.from > query.to), {
    message: 'must not be after to',
    path: ['from'],
  });

export const consumptionResponse = z.object({
  accountId: z.string(),
  series: z
    .array(consumptionSeriesSchema)
    .describe('One series per product line and cloud with spend'),
  total: z
    .array(monthlyConsumptionSchema)
    .describe('Sum of all series per month'),
});

export const similarQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .optional()
    .describe('Similar accounts, 1 to 20 (default 5)'),
  useCaseLimit: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .optional()
    .describe('Recommended use cases, 1 to 20 (default 5)'),
});

export const similarResponse = z.object({
  similarAccounts: z.array(
    z.object({
      account: accountSummarySchema.describe(
        'Summary only: similar accounts may lie outside your territories',
      ),
      similarity: z.number(),
      reasons: z.array(z.string()),
    }),
  ),
  recommendedUseCases: z.array(
    z.object({
      category: z.string(),
      productLine: z.string(),
      revenue: moneySchema.nullable(),
      liveAtAccountIds: z.array(z.string()),
      reason: z.string(),
    }),
  ),
});
