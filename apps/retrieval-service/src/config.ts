import { z } from 'zod';
import { baseServiceEnv, duration, loadConfig, port } from '@fieldwise/config';

/** Every environment variable the retrieval service reads. */
export const retrievalEnvSchema = z.object({
  ...baseServiceEnv,
  GRPC_PORT: port(50053).describe('gRPC port of the retrieval service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
});

/** The retrieval service's validated, frozen configuration. */
export type RetrievalConfig = ReturnType<typeof loadRetrievalConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadRetrievalConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(retrievalEnvSchema, env);
}
