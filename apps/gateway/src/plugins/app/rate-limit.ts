import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { DependencyUnavailableError, FieldwiseError } from '@fieldwise/errors';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import { auditActorOf, traceIdOf, traceparentOf } from '../../audit/actor.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import {
  rateLimitHeader,
  rateLimitPolicyHeader,
  type LimitName,
  type LimitState,
} from '../../rate-limit/limit-state.js';
import type { TokenBudget } from '../../rate-limit/token-budget.js';
import './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route spends the chat model-token budget; it is checked before the handler. */
    tokenBudget?: boolean;
    /** Requests per window for this route, instead of the default route limit. */
    routeMax?: number;
  }
  interface FastifyRequest {
    /** Every limit's state after this request was counted (for headers and audit). */
    rateLimits: readonly LimitState[] | undefined;
    /**
     * Counts the request against every applicable limit and sets the
     * `RateLimit-Policy`/`RateLimit` headers on `reply`; throws 429 when one
     * is reached, 503 when the shared store is down and the mode is `closed`.
     */
    checkRateLimits(reply: FastifyReply): Promise<readonly LimitState[]>;
  }
  interface FastifyInstance {
    /** The chat model-token budget; the chat route reports model usage to it. */
    tokenBudget: TokenBudget;
  }
}

/** Options of {@link rateLimitPlugin}. */
export interface RateLimitPluginOptions {
  readonly windowMs: number;
  /** Requests per window per principal, all routes together. */
  readonly principalMax: number;
  /** Requests per window per principal and route (routes may override). */
  readonly routeMax: number;
  /** Shared counters; absent means in process only. */
  readonly redis?: Redis;
  /** When Redis fails: count in process (`open`) or answer 503 (`closed`). */
  readonly redisFailure: 'open' | 'closed';
  /** Prefix of every Redis key (deployment, test). */
  readonly keyPrefix: string;
  readonly tokenBudget: TokenBudget;
  readonly audit: AuditSink;
}

type CreateRateLimit = FastifyInstance['createRateLimit'];
type Limiter = ReturnType<CreateRateLimit>;

interface RequestLimit {
  readonly name: Exclude<LimitName, 'token-budget'>;
  readonly shared: Limiter | undefined;
  readonly local: Limiter;
  readonly max: (request: FastifyRequest) => number;
}

// @fastify/rate-limit decorates the instance it is registered on; an
// encapsulated scope per store gives two independent limiter factories.
async function limiterFactory(
  app: FastifyInstance,
  store: { redis: Redis; nameSpace: string } | { cache: number },
): Promise<CreateRateLimit> {
  let factory: CreateRateLimit | undefined;
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      skipOnError: false,
      ...store,
    });
    factory = scope.createRateLimit.bind(scope);
  });
  if (!factory) throw new Error('rate-limit plugin did not register');
  return factory;
}

function principalKey(request: FastifyRequest): string {
  const p = request.principal;
  return p ? `${p.tenant}:${p.userId}` : `ip:${request.ip}`;
}

/**
 * Rate limits per principal and per principal and route (@fastify/rate-limit
 * counters, in Redis when configured so replicas share them), plus the chat
 * model-token budget. Every applicable limit is counted on every request;
 * when any is reached the request is 429 problem+json naming the first one
 * reached (checked in the order principal, route, token budget), with
 * `Retry-After` for the longest wait and `RateLimit-Policy`/`RateLimit`
 * headers, and a rate-limit audit event. Headers are sent on every answer.
 */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app, options) => {
    const localFactory = await limiterFactory(app, { cache: 20_000 });
    const sharedFactory = options.redis
      ? await limiterFactory(app, {
          redis: options.redis,
          nameSpace: `${options.keyPrefix}rl:`,
        })
      : undefined;
    const make = (
      name: RequestLimit['name'],
      key: (request: FastifyRequest) => string,
      max: (request: FastifyRequest) => number,
    ): RequestLimit => {
      const settings = {
        timeWindow: options.windowMs,
        max: (request: FastifyRequest) => max(request),
        keyGenerator: (request: FastifyRequest) => `${name}:${key(request)}`,
      };
      return {
        name,
        shared: sharedFactory?.(settings),
        local: localFactory(settings),
        max,
      };
    };
    const limits: readonly RequestLimit[] = [
      make('principal', principalKey, () => options.principalMax),
      make(
        'route',
        (request) =>
          `${principalKey(request)}:${request.method} ${request.routeOptions.url ?? ''}`,
        (request) => request.routeOptions.config.routeMax ?? options.routeMax,
      ),
    ];
    let lastWarn = 0;

    const count = async (
      limit: RequestLimit,
      request: FastifyRequest,
    ): Promise<LimitState> => {
      let store: LimitState['store'] = 'memory';
      let result: Awaited<ReturnType<Limiter>> | undefined;
      if (limit.shared) {
        try {
          result = await limit.shared(request);
          store = 'redis';
        } catch (error) {
          if (options.redisFailure === 'closed') {
            throw new DependencyUnavailableError('rate-limit store', error);
          }
          const now = Date.now();
          if (now - lastWarn > 10_000) {
            lastWarn = now;
            request.log.warn(
              { err: { message: (error as Error).message } },
              'redis unreachable: rate limits counted in process (fail open)',
            );
          }
        }
      }
      result ??= await limit.local(request);
      if (result.isAllowed) {
        // Only reachable with an allow list, which the gateway does not use.
        const max = limit.max(request);
        return {
          name: limit.name,
          max,
          windowMs: options.windowMs,
          remaining: max,
          resetSeconds: 0,
          exceeded: false,
          store,
        };
      }
      return {
        name: limit.name,
        max: result.max,
        windowMs: options.windowMs,
        remaining: result.remaining,
        resetSeconds: result.ttlInSeconds,
        exceeded: result.isExceeded,
        store,
      };
    };

    const setHeaders = (
      reply: FastifyReply,
      states: readonly LimitState[],
    ): void => {
      void reply.header('ratelimit-policy', rateLimitPolicyHeader(states));
      void reply.header('ratelimit', rateLimitHeader(states));
    };

    app.decorate('tokenBudget', options.tokenBudget);
    app.decorateRequest('rateLimits', undefined);
    app.decorateRequest(
      'checkRateLimits',
      async function (this: FastifyRequest, reply: FastifyReply) {
        if (this.rateLimits) return this.rateLimits;
        const states = await Promise.all(
          limits.map((limit) => count(limit, this)),
        );
        if (this.routeOptions.config.tokenBudget && this.principal) {
          states.push(await options.tokenBudget.check(this.principal));
        }
        this.rateLimits = states;
        setHeaders(reply, states);
        const reached = states.filter((s) => s.exceeded);
        const first = reached[0];
        if (!first) return states;
        const retryAfter = Math.max(1, ...reached.map((s) => s.resetSeconds));
        options.audit.record(
          AUDIT_EVENT_TYPES.rateLimit,
          {
            traceId: traceIdOf(this),
            actor: auditActorOf(this),
            service: 'gateway',
            route: `${this.method} ${this.routeOptions.url ?? ''}`.slice(
              0,
              256,
            ),
            limit: first.name,
            max: first.max,
            windowMs: first.windowMs,
            retryAfterSeconds: retryAfter,
          },
          { traceparent: traceparentOf(this) },
        );
        const unit =
          first.name === 'token-budget' ? 'model tokens' : 'requests';
        throw new FieldwiseError(
          'RATE_LIMITED',
          `The '${first.name}' limit of ${first.max} ${unit} per ${Math.ceil(first.windowMs / 1000)}s is reached` +
            (reached.length > 1
              ? ` (also reached: ${reached
                  .slice(1)
                  .map((s) => s.name)
                  .join(', ')})`
              : ''),
          { retryAfterSeconds: retryAfter, context: { limit: first.name } },
        );
      },
    );
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
