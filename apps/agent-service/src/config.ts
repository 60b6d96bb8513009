import { z } from 'zod';
import { baseServiceEnv, duration, loadConfig, port } from '@fieldwise/config';

/** Every environment variable the agent service reads. */
export const agentEnvSchema = z.object({
  ...baseServiceEnv,
  GRPC_PORT: port(50051).describe('gRPC port of the agent service.'),
  SHUTDOWN_GRACE: duration('10s', { max: '5m' }).describe(
    'How long SIGTERM waits for in-flight calls before cutting them off.',
  ),
});

/** The agent service's validated, frozen configuration. */
export type AgentConfig = ReturnType<typeof loadAgentConfig>;

/** Parses the environment once; throws CONFIG_INVALID naming every problem. */
export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(agentEnvSchema, env);
}
