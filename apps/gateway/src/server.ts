import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { PrincipalSigner } from '@fieldwise/principal';
import { authPlugin, type JwtVerification } from './plugins/app/auth.js';
import { principalTokenPlugin } from './plugins/app/principal-token.js';
import { problemPlugin, sendProblem } from './plugins/app/problem.js';
import { tracingPlugin } from './plugins/app/tracing.js';
import {
  healthRoutes,
  type HealthRouteOptions,
} from './routes/health/index.js';
import { whoamiRoutes } from './routes/v1/whoami/index.js';
import type { IdentityClient } from './clients/identity-client.js';

/** Everything the gateway needs, built by `main.ts` (or a test). */
export interface GatewayDeps {
  logger: FastifyBaseLogger;
  jwt: JwtVerification;
  clockToleranceSeconds: number;
  signer: PrincipalSigner;
  identity: IdentityClient;
  health: HealthRouteOptions;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Public URL of the gateway, for the OpenAPI `servers` entry. */
  publicUrl?: string;
}

/**
 * Builds the gateway without listening (tests use `app.inject()`). Plugin
 * order: external (helmet, swagger), then app plugins, then routes.
 */
export async function buildServer(deps: GatewayDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes,
    requestIdHeader: false,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors raised before routing (bad URL encoding, bad content type
    // header) get the same problem+json as everything else.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(reply, request, error);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    // Swagger UI needs inline scripts and styles on /docs only.
    contentSecurityPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fieldwise API',
        description:
          'Governed AI assistant for field sales teams. Errors are RFC 9457 problem+json with a stable `code`.',
        version: '1.0.0',
      },
      servers: deps.publicUrl ? [{ url: deps.publicUrl }] : [],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(problemPlugin);
  await app.register(tracingPlugin);
  await app.register(authPlugin, {
    jwt: deps.jwt,
    clockToleranceSeconds: deps.clockToleranceSeconds,
  });
  await app.register(principalTokenPlugin, { signer: deps.signer });

  await app.register(healthRoutes, deps.health);
  await app.register(
    async (v1) => {
      // Every /v1 route is authenticated before validation or handlers run.
      v1.addHook('onRequest', async (request) => {
        await request.authenticate();
      });
      await v1.register(whoamiRoutes, { identity: deps.identity });
    },
    { prefix: '/v1' },
  );
  return app;
}
