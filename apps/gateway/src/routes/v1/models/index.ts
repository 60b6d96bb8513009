import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { standardErrors } from '../../../schemas/problem.js';

/** What the gateway knows, from its own configuration, about the active model and adapters. */
export const modelsInfoSchema = z.object({
  reportedBy: z
    .literal('gateway-config')
    .describe(
      'Who answered: the gateway from its configuration (the agent service reports the model itself once ListModels is wired)',
    ),
  model: z
    .object({ provider: z.string(), name: z.string() })
    .nullable()
    .describe('The chat model, when the gateway knows it; null otherwise'),
  agent: z.object({ address: z.string() }),
  adapters: z.object({
    rateLimits: z.enum(['redis', 'memory']),
    rateLimitRedisFailure: z.enum(['open', 'closed']),
    events: z.enum(['outbox', 'outbox+kafka']),
    policy: z.literal('file'),
    guardrails: z.string().describe('Guardrail configuration file name'),
    tracing: z.string(),
  }),
});

/** The body of `GET /v1/models`. */
export type ModelsInfo = z.infer<typeof modelsInfoSchema>;

/** `GET /v1/models`: which model and adapters are active. */
export const modelsRoutes: FastifyPluginCallback<{ info: ModelsInfo }> = (
  app,
  options,
  done,
) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/models',
    {
      schema: {
        summary: 'Which model and adapters are active',
        tags: ['assistant'],
        response: { 200: modelsInfoSchema, ...standardErrors },
      },
    },
    () => options.info,
  );
  done();
};
