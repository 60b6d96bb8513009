import { z } from 'zod';
import { baseServiceEnv, duration, loadConfig, port } from '@fieldwise/config';

/** Every environment variable the eval service reads. */
export const evalEnvSchema = z.object({
  ...baseServiceEnv,
  GRPC_PORT: port(50054).describe('gRPC port of the eval service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
});

/** The eval service's validated, frozen configuration. */
export type EvalConfig = ReturnType<typeof loadEvalConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadEvalConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(evalEnvSchema, env);
}
