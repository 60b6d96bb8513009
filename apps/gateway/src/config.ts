import { z } from 'zod';
import {
  baseServiceEnv,
  duration,
  host,
  int,
  loadConfigWithWarnings,
  optionalSecret,
  optionalUrl,
  port,
  text,
  type LoadedConfig,
} from '@fieldwise/config';

/** Every environment variable the gateway reads. */
export const gatewayEnvSchema = z.object({
  ...baseServiceEnv,
  HOST: host('127.0.0.1').describe(
    'Interface the HTTP server binds to (0.0.0.0 in containers).',
  ),
  PORT: port(8080).describe('HTTP port of the public REST gateway.'),
  PUBLIC_URL: optionalUrl({ protocols: ['http:', 'https:'] }).describe(
    'Public base URL advertised in the OpenAPI document.',
  ),
  BODY_LIMIT_BYTES: int(1, 50 * 1024 * 1024, 1024 * 1024).describe(
    'Largest accepted request body in bytes; larger bodies get 413 problem+json.',
  ),
  AUTH_JWT_SECRET: optionalSecret({ base64: true, minBytes: 32 }).describe(
    'Base64 HS256 secret for bearer tokens. Unset and no JWKS URL: a dev secret is generated once in the data dir.',
  ),
  AUTH_JWKS_URL: optionalUrl({ protocols: ['https:', 'http:'] }).describe(
    'JWKS URL of the OIDC issuer (RS256/ES256 tokens). When set, AUTH_ISSUER and AUTH_AUDIENCE must name that issuer.',
  ),
  AUTH_ISSUER: text('fieldwise-dev').describe(
    'Required `iss` of bearer tokens.',
  ),
  AUTH_AUDIENCE: text('fieldwise-api').describe(
    'Required `aud` of bearer tokens.',
  ),
  AUTH_CLOCK_TOLERANCE: duration('30s', { max: '5m' }).describe(
    'Accepted clock skew when checking token expiry (at most 5m).',
  ),
  AGENT_SERVICE_ADDR: text('127.0.0.1:50051').describe(
    'host:port of the agent service.',
  ),
  CRM_SERVICE_ADDR: text('127.0.0.1:50052').describe(
    'host:port of the CRM service.',
  ),
  RETRIEVAL_SERVICE_ADDR: text('127.0.0.1:50053').describe(
    'host:port of the retrieval service.',
  ),
  EVAL_SERVICE_ADDR: text('127.0.0.1:50054').describe(
    'host:port of the evaluation service.',
  ),
  GRPC_DEADLINE: duration('10s', { min: '100ms', max: '5m' }).describe(
    'Default deadline of gateway → service calls.',
  ),
  SHUTDOWN_GRACE: duration('20s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight requests before closing.',
  ),
});

export type GatewayConfig = LoadedConfig<
  z.output<typeof gatewayEnvSchema>
>['config'];

/** Parses the gateway's environment once; throws CONFIG_INVALID naming every problem. */
export function loadGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  return loadConfigWithWarnings(gatewayEnvSchema, env).config;
}
