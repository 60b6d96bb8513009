import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { context } from '@opentelemetry/api';
import {
  SERVICE_NAMES,
  type IdentityClient,
  type ServiceName,
} from '../../../clients/identity-client.js';
import { standardErrors } from '../../../schemas/problem.js';

const principalView = z.object({
  userId: z.string(),
  tenant: z.string(),
  roles: z.array(z.string()),
  territories: z.array(z.string()),
});

const serviceParam = z
  .enum(SERVICE_NAMES)
  .default('crm')
  .describe('Which backend service to ask');
const whoamiQuery = z.object({ service: serviceParam });
const whoamiBody = z.object({ service: serviceParam }).strict();

const whoamiResponse = z.object({
  gateway: z.object({ principal: principalView, traceId: z.string() }),
  service: z.object({
    service: z.string(),
    principal: principalView,
    traceId: z.string(),
    spanId: z.string(),
    receivedAt: z.string(),
  }),
});

type WhoamiResponse = z.infer<typeof whoamiResponse>;

export interface WhoamiRouteOptions {
  identity: IdentityClient;
}

/**
 * `GET /v1/whoami` (and `POST` with a JSON body): the caller's principal as the gateway sees it and as a
 * backend service received it over gRPC (signed principal + traceparent).
 */
export const whoamiRoutes: FastifyPluginCallback<WhoamiRouteOptions> = (
  app,
  options,
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  async function answer(
    request: FastifyRequest,
    service: ServiceName,
  ): Promise<WhoamiResponse> {
    const principal = await request.authenticate();
    const seen = await options.identity.whoAmI(service, {
      principalToken: await request.principalToken(),
      context: request.otelContext ?? context.active(),
    });
    return {
      gateway: {
        principal: {
          userId: principal.userId,
          tenant: principal.tenant,
          roles: [...principal.roles],
          territories: [...principal.territories],
        },
        traceId: request.span?.spanContext().traceId ?? '',
      },
      service: seen,
    };
  }

  typed.get(
    '/whoami',
    {
      schema: {
        summary: 'Who am I, as the gateway and a backend service see it',
        tags: ['identity'],
        querystring: whoamiQuery,
        response: { 200: whoamiResponse, ...standardErrors },
      },
    },
    (request) => answer(request, request.query.service),
  );
  typed.post(
    '/whoami',
    {
      schema: {
        summary:
          'Same as GET /v1/whoami, with the service named in a JSON body',
        description:
          'A read; the shipped policy grants it to the same roles as GET /v1/whoami.',
        tags: ['identity'],
        body: whoamiBody,
        response: { 200: whoamiResponse, ...standardErrors },
      },
    },
    (request) => answer(request, request.body.service),
  );
  done();
};
