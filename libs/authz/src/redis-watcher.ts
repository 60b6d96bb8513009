import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DependencyUnavailableError } from '@fieldwise/errors';
import type { Authorizer } from './authorizer.js';

/** Options of {@link createRedisPolicyWatcher}. */
export interface RedisPolicyWatcherOptions {
  /** The authorizer to reload; usually the whole {@link Authorizer}. */
  readonly authorizer: Pick<Authorizer, 'reload'>;
  /** `redis://host:port/db`. */
  readonly url: string;
  /** The pub/sub channel shared by every replica, e.g. `fieldwise.policy.v1`. */
  readonly channel: string;
  readonly logger: Logger;
  /** Names this replica in notifications; random when absent. */
  readonly instanceId?: string;
}

/** A running Redis policy watcher. */
export interface RedisPolicyWatcher {
  /**
   * Tells every subscribed replica, this one included, to reload its
   * policy. Resolves with the number of subscribers Redis delivered to.
   * Rejects with `DEPENDENCY_UNAVAILABLE` when Redis is unreachable.
   */
  notify(): Promise<number>;
  /** Unsubscribes and closes both connections. */
  close(): Promise<void>;
}

const notificationSchema = z.object({
  type: z.literal('policy-changed'),
  origin: z.string().min(1),
});

/**
 * Subscribes to a Redis channel and reloads the authorizer whenever any
 * replica publishes a policy change, so replicas never drift. After a lost
 * connection comes back it reloads once, since notifications sent meanwhile
 * are gone. Resolves once subscribed; rejects with `DEPENDENCY_UNAVAILABLE`
 * when Redis cannot be reached.
 */
export async function createRedisPolicyWatcher(
  options: RedisPolicyWatcherOptions,
): Promise<RedisPolicyWatcher> {
  const logger = options.logger.child({
    component: 'authz-redis-watcher',
    channel: options.channel,
  });
  const origin = options.instanceId ?? randomUUID();
  const connectionOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    // Named so operators (and tests) can find this replica's connections.
    connectionName: `fieldwise-authz-${origin}`,
  };
  const subscriber = new Redis(options.url, connectionOptions);
  const publisher = new Redis(options.url, {
    ...connectionOptions,
    enableOfflineQueue: false,
  });
  for (const [role, client] of [
    ['subscriber', subscriber],
    ['publisher', publisher],
  ] as const) {
    // Without a listener ioredis reports connection errors on the console.
    client.on('error', (error: Error) => {
      logger.warn({ err: error, connection: role }, 'redis connection error');
    });
  }

  const reload = (why: string): void => {
    options.authorizer.reload().then(
      (result) =>
        logger.info({ ...result, why }, 'policy reloaded on notification'),
      // The authorizer logged the validation error and kept the old policy.
      () => logger.warn({ why }, 'notified reload was rejected'),
    );
  };

  try {
    await Promise.all([subscriber.connect(), publisher.connect()]);
    await subscriber.subscribe(options.channel);
  } catch (error) {
    subscriber.disconnect();
    publisher.disconnect();
    throw new DependencyUnavailableError('redis', error);
  }

  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== options.channel) return;
    let parsed: z.infer<typeof notificationSchema>;
    try {
      parsed = notificationSchema.parse(JSON.parse(message));
    } catch (_error) {
      logger.warn('ignoring a malformed policy notification');
      return;
    }
    reload(`notified by ${parsed.origin}`);
  });
  // Registered after the initial connect, so every `ready` is a reconnect.
  subscriber.on('ready', () => reload('resubscribed after a reconnect'));

  return {
    notify: async () => {
      try {
        return await publisher.publish(
          options.channel,
          JSON.stringify({ type: 'policy-changed', origin }),
        );
      } catch (error) {
        throw new DependencyUnavailableError('redis', error);
      }
    },
    close: async () => {
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
