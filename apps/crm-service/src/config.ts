import { z } from 'zod';
import { baseServiceEnv, duration, loadConfig, port } from '@fieldwise/config';

/** Every environment variable the crm service reads. */
export const crmEnvSchema = z.object({
  ...baseServiceEnv,
  GRPC_PORT: port(50052).describe('gRPC port of the crm service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
});

/** The crm service's validated, frozen configuration. */
export type CrmConfig = ReturnType<typeof loadCrmConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadCrmConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(crmEnvSchema, env);
}
