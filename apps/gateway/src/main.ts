import {
  createLogger,
  createServiceMetrics,
  startTelemetry,
} from '@fieldwise/telemetry';
import { configWarnings } from '@fieldwise/config';
import { createPrincipalSigner } from '@fieldwise/principal';
import { loadGatewayConfig } from './config.js';
import { resolvePrincipalKey, routeGrpcLogs } from '@fieldwise/grpc';
import { resolveJwtSecret } from './auth-keys.js';
import { buildServer } from './server.js';
import { createGovernance } from './governance.js';
import { GrpcIdentityClient } from './clients/grpc-identity-client.js';
import { GrpcAgentClient } from './clients/agent-client.js';
import { GrpcHealthProbe } from './clients/health-probe.js';
import { GrpcCrmClient } from './clients/crm-client.js';
import { GrpcRetrievalClient } from './clients/retrieval-client.js';
import { GrpcEvalClient } from './clients/eval-client.js';
import type { JwtVerification } from './plugins/app/auth.js';

// Wiring only: config → telemetry → adapters → server → listen → drain on SIGTERM.
const config = loadGatewayConfig();
const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
for (const warning of configWarnings(config)) {
  logger.warn({ variable: warning.variable }, warning.message);
}
routeGrpcLogs(logger);
const telemetry = startTelemetry({
  serviceName: config.OTEL_SERVICE_NAME ?? 'gateway',
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }
    : {}),
  logger,
});

const jwt: JwtVerification = config.AUTH_JWKS_URL
  ? {
      kind: 'jwks',
      jwksUrl: config.AUTH_JWKS_URL,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
    }
  : {
      kind: 'hs256',
      secret: await resolveJwtSecret(config),
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
    };
const governance = await createGovernance(config, {
  logger,
  tracing: telemetry.exporter,
});
logger.info(
  {
    authentication: jwt.kind === 'jwks' ? 'oidc-jwks' : 'hs256-dev-secret',
    tracing: telemetry.exporter,
    ...governance.adapters,
  },
  'adapters selected',
);

const addresses = {
  agent: config.AGENT_SERVICE_ADDR,
  crm: config.CRM_SERVICE_ADDR,
  retrieval: config.RETRIEVAL_SERVICE_ADDR,
  eval: config.EVAL_SERVICE_ADDR,
};
const identity = new GrpcIdentityClient(addresses, {
  deadlineMs: config.GRPC_DEADLINE,
  logger,
});
const agent = new GrpcAgentClient(config.AGENT_SERVICE_ADDR, {
  deadlineMs: config.GRPC_DEADLINE,
  chatDeadlineMs: config.CHAT_DEADLINE,
  logger,
});
const backendOptions = { deadlineMs: config.GRPC_DEADLINE, logger };
const crm = new GrpcCrmClient(config.CRM_SERVICE_ADDR, backendOptions);
const retrieval = new GrpcRetrievalClient(
  config.RETRIEVAL_SERVICE_ADDR,
  backendOptions,
);
const evals = new GrpcEvalClient(config.EVAL_SERVICE_ADDR, backendOptions);
const probe = new GrpcHealthProbe(addresses, 2_000);
let accepting = true;

const app = await buildServer({
  logger,
  metrics: createServiceMetrics({ service: 'gateway' }),
  jwt,
  clockToleranceSeconds: Math.round(config.AUTH_CLOCK_TOLERANCE / 1000),
  signer: createPrincipalSigner({ key: await resolvePrincipalKey(config) }),
  identity,
  agent,
  crm,
  retrieval,
  documentMaxBytes: config.DOCUMENT_MAX_BYTES,
  evals,
  health: {
    readiness: async () => {
      const checks = await probe.check();
      const redis = governance.governance.rateLimits.redis;
      if (redis) {
        const up = redis.status === 'ready';
        // Only a hard dependency when the limits fail closed without it.
        checks.redis = up
          ? { ok: true }
          : {
              ok: config.RATE_LIMIT_REDIS_FAILURE === 'open',
              detail: `unreachable (${redis.status}); rate limits fail ${config.RATE_LIMIT_REDIS_FAILURE}`,
            };
      }
      return checks;
    },
    isAcceptingTraffic: () => accepting,
  },
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  governance: governance.governance,
  ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
});

await app.listen({ host: config.HOST, port: config.PORT });

let closing = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (closing) return;
  closing = true;
  accepting = false;
  logger.info({ signal }, 'draining');
  const timer = setTimeout(() => {
    logger.error('drain timed out; exiting');
    process.exit(1);
  }, config.SHUTDOWN_GRACE);
  timer.unref();
  await app.close();
  // Audit events of the drained requests reach Kafka before the process ends.
  await governance.close(Math.max(1_000, config.SHUTDOWN_GRACE / 2));
  identity.close();
  agent.close();
  crm.close();
  retrieval.close();
  evals.close();
  probe.close();
  await telemetry.shutdown();
  logger.info('stopped');
  process.exitCode = 0;
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
