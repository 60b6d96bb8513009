import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
} from 'fastify';
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
import { policyRoutes } from './routes/v1/policy/index.js';
import { auditRoutes } from './routes/v1/audit/index.js';
import { modelsRoutes } from './routes/v1/models/index.js';
import type { IdentityClient } from './clients/identity-client.js';
import type { AgentClient } from './clients/agent-client.js';
import type { CrmClient } from './clients/crm-client.js';
import type { RetrievalClient } from './clients/retrieval-client.js';
import type { EvalClient } from './clients/eval-client.js';
import { accountRoutes } from './routes/v1/accounts/index.js';
import { alertRoutes } from './routes/v1/alerts/index.js';
import { collateralRoutes } from './routes/v1/collateral/index.js';
import { documentRoutes } from './routes/v1/documents/index.js';
import { evalRoutes } from './routes/v1/evals/index.js';
import { chatRoutes } from './routes/v1/chat/index.js';
import { actionRoutes } from './routes/v1/actions/index.js';
import { conversationRoutes } from './routes/v1/conversations/index.js';
import { feedbackRoutes } from './routes/v1/feedback/index.js';
import { auditPlugin } from './plugins/app/audit.js';
import { authzPlugin } from './plugins/app/authz.js';
import { guardrailsPlugin } from './plugins/app/guardrails.js';
import { metricsPlugin } from './plugins/app/metrics.js';
import {
  createServiceMetrics,
  type ServiceMetrics,
} from '@fieldwise/telemetry';
import { rateLimitPlugin } from './plugins/app/rate-limit.js';
import type { GatewayGovernance } from './governance.js';

/** Everything the gateway needs, built by `main.ts` (or a test). */
export interface GatewayDeps {
  logger: FastifyBaseLogger;
  jwt: JwtVerification;
  clockToleranceSeconds: number;
  signer: PrincipalSigner;
  identity: IdentityClient;
  /**
   * The agent service: chat, action decisions, conversations and feedback.
   * Absent, those routes are not served (a gateway embedding its own chat
   * route, e.g. the gateway benchmark).
   */
  agent?: AgentClient;
  /** The crm-service (accounts, hygiene alerts). Absent, those routes are not served. */
  crm?: CrmClient;
  /** The retrieval-service (collateral search, documents). Absent, those routes are not served. */
  retrieval?: RetrievalClient;
  /** Largest document `POST /v1/documents` accepts, in decoded bytes (default 5 MiB). */
  documentMaxBytes?: number;
  /** The eval-service (runs, datasets). Absent, those routes are not served. */
  evals?: EvalClient;
  health: HealthRouteOptions;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Public URL of the gateway, for the OpenAPI `servers` entry. */
  publicUrl?: string;
  /** Authorization, rate limits, guardrails and audit (see `createGovernance`). */
  governance: GatewayGovernance;
  /** Prometheus series served on `/metrics`; default a registry of its own. */
  metrics?: ServiceMetrics;
  /**
   * More routes registered inside the governed `/v1` scope, behind the same
   * authentication, rate limits, authorization, guardrails and audit (for
   * embedding apps and the gateway benchmark). The policy decides who may
   * call them, like any route.
   */
  extraV1Routes?: (v1: FastifyInstance) => Promise<void>;
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
    // The audit plugin writes one access line per request, without the
    // query string (user text) that Fastify's own lines would carry.
    logController: new LogController({ disableRequestLogging: true }),
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
          apiKeyAuth: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description:
              'Service-account API key (also accepted as `Authorization: ApiKey <key>`)',
          },
        },
      },
      security: [{ bearerAuth: [] }, { apiKeyAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const governance = deps.governance;
  await app.register(problemPlugin);
  await app.register(tracingPlugin);
  await app.register(auditPlugin, {
    sink: governance.audit.sink,
    redactor: governance.redactor,
    payloadSamplePercent: governance.audit.payloadSamplePercent,
    payloadMaxBytes: governance.audit.payloadMaxBytes,
  });
  await app.register(authPlugin, {
    jwt: deps.jwt,
    clockToleranceSeconds: deps.clockToleranceSeconds,
    apiKeys: governance.apiKeys.verify,
  });
  await app.register(principalTokenPlugin, { signer: deps.signer });
  await app.register(rateLimitPlugin, {
    ...governance.rateLimits,
    tokenBudget: governance.tokenBudget,
    audit: governance.audit.sink,
  });
  await app.register(authzPlugin, {
    authorizer: governance.authorizer,
    audit: governance.audit.sink,
  });
  await app.register(guardrailsPlugin, {
    pipeline: governance.guardrails.pipeline,
    ...(governance.guardrails.canary
      ? { canary: governance.guardrails.canary }
      : {}),
    redactor: governance.redactor,
    payloadMaxBytes: governance.audit.payloadMaxBytes,
    audit: governance.audit.sink,
  });
  // main.ts passes the process's registry; a built-in one keeps tests apart.
  const metrics =
    deps.metrics ??
    createServiceMetrics({ service: 'gateway', processMetrics: false });
  metrics.addOutbox('gateway-audit', governance.audit.sink.outbox);
  await app.register(metricsPlugin, { metrics });

  await app.register(healthRoutes, deps.health);
  await app.register(
    async (v1) => {
      // Every /v1 route is authenticated, counted against its rate limits
      // and authorized before its body is parsed or its handler runs.
      v1.addHook('onRequest', async (request, reply) => {
        await request.authenticate();
        await request.checkRateLimits(reply);
        await request.authorize();
      });
      await v1.register(whoamiRoutes, { identity: deps.identity });
      await v1.register(modelsRoutes, { info: governance.models });
      await v1.register(policyRoutes, {
        authorizer: governance.authorizer,
        editor: governance.policyEditor,
      });
      await v1.register(auditRoutes, {
        authorizer: governance.authorizer,
        sink: governance.audit.sink,
        outboxPath: governance.audit.outboxPath,
      });
      if (deps.agent) {
        const agent = deps.agent;
        await v1.register(chatRoutes, { agent });
        await v1.register(actionRoutes, { agent });
        await v1.register(conversationRoutes, { agent });
        await v1.register(feedbackRoutes, { agent });
      }
      if (deps.crm) {
        await v1.register(accountRoutes, { crm: deps.crm });
        await v1.register(alertRoutes, { crm: deps.crm });
      }
      if (deps.retrieval) {
        await v1.register(collateralRoutes, { retrieval: deps.retrieval });
        await v1.register(documentRoutes, {
          retrieval: deps.retrieval,
          maxDocumentBytes: deps.documentMaxBytes ?? 5 * 1024 * 1024,
        });
      }
      if (deps.evals) await v1.register(evalRoutes, { evals: deps.evals });
      if (deps.extraV1Routes) await deps.extraV1Routes(v1);
    },
    { prefix: '/v1' },
  );
  return app;
}
