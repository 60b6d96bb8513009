import { GetConsumptionResponse } from '@fieldwise/contracts';
import { z } from 'zod';
import { accountIdSchema, monthSchema } from './schemas.js';
import { defineReadTool } from './tool.js';

const input = z
  .object({
    accountId: accountIdSchema,
    fromMonth: monthSchema
      .optional()
      .describe('First month (YYYY-MM); default twelve months back.'),
    toMonth: monthSchema
      .optional()
      .describe('Last month (YYYY-MM); default the latest month.'),
    productLines: z
      .array(z.string().min(1).max(64))
      .max(10)
      .default([])
      .describe(
        'Product line ids to keep, e.g. "stream", "warehouse"; empty keeps all.',
      ),
    clouds: z
      .array(z.enum(['AWS', 'Azure', 'GCP']))
      .max(3)
      .default([])
      .describe('Clouds to keep; empty keeps all.'),
  })
  .strict();

/** `product_consumption`: monthly consumption by product line and cloud. */
export const productConsumptionTool = defineReadTool({
  name: 'product_consumption',
  permission: 'product_consumption',
  writes: false,
  description:
    'Monthly consumption (spend) of one account by product line and cloud, with month-over-month and year-over-year growth, plus the monthly total. Use it for questions about usage, spend trends or growth of a product at an account.',
  examples: [
    'how is Acme consumption trending',
    'show Globex spend on Lumen Stream by month',
    'is Initech growing on AWS',
    'consumption by cloud for Stark Logistics last quarter',
  ],
  input,
  async run(deps, args, ctx) {
    const response = await deps.crm.getConsumption(
      {
        accountId: args.accountId,
        fromMonth: args.fromMonth ?? '',
        toMonth: args.toMonth ?? '',
        productLines: args.productLines,
        clouds: args.clouds,
      },
      ctx,
    );
    return {
      data: GetConsumptionResponse.toJSON(response),
      summary: `${response.series.length} consumption series over ${response.total.length} month(s)`,
    };
  },
});
