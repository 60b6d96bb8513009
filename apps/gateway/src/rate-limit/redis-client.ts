import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis client for request-path counters: commands fail at once while
 * disconnected (no offline queue, one retry) and time out after
 * `commandTimeoutMs`, so an outage costs a request microseconds, not a
 * hang; the configured failure mode then decides. It reconnects in the
 * background. Connection errors are logged, never printed.
 */
export function createRateLimitRedis(
  url: string,
  logger: Logger,
  commandTimeoutMs = 500,
): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    connectionName: 'fieldwise-gateway-rate-limit',
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastWarn = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastWarn < 10_000) return;
    lastWarn = now;
    logger.warn({ err: { message: error.message } }, 'redis connection error');
  });
  return client;
}
