import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DependencyUnavailableError } from '@fieldwise/errors';
import type { LimitState } from './limit-state.js';

/** Who spends a token budget. */
export interface BudgetHolder {
  readonly tenant: string;
  readonly userId: string;
}

interface Count {
  total: number;
  ttlMs: number;
}

/** A per-key counter over a fixed window; `add(key, 0)` reads. */
export interface TokenCounterStore {
  add(key: string, amount: number, windowMs: number): Promise<Count>;
}

/** Counters in this process, pruned of expired windows as it grows. */
export class MemoryTokenCounterStore implements TokenCounterStore {
  private readonly counts = new Map<
    string,
    { total: number; resetAt: number }
  >();

  constructor(private readonly maxKeys = 50_000) {}

  add(key: string, amount: number, windowMs: number): Promise<Count> {
    const now = Date.now();
    let entry = this.counts.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.counts.size >= this.maxKeys) this.prune(now);
      entry = { total: 0, resetAt: now + windowMs };
      this.counts.set(key, entry);
    }
    entry.total += amount;
    return Promise.resolve({ total: entry.total, ttlMs: entry.resetAt - now });
  }

  private prune(now: number): void {
    for (const [key, entry] of this.counts) {
      if (entry.resetAt <= now) this.counts.delete(key);
    }
    // Still full of live windows: drop the oldest inserted.
    while (this.counts.size >= this.maxKeys) {
      const oldest = this.counts.keys().next().value;
      if (oldest === undefined) break;
      this.counts.delete(oldest);
    }
  }
}

// INCRBY and the window's expiry in one step, so replicas never double-start a window.
const ADD_SCRIPT = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {total, ttl}
`;

/** Counters in Redis, shared by every gateway replica. */
export class RedisTokenCounterStore implements TokenCounterStore {
  constructor(private readonly redis: Redis) {}

  async add(key: string, amount: number, windowMs: number): Promise<Count> {
    const [total, ttlMs] = (await this.redis.eval(
      ADD_SCRIPT,
      1,
      key,
      String(amount),
      String(windowMs),
    )) as [number, number];
    return { total, ttlMs };
  }
}

/** Options of {@link TokenBudget}. */
export interface TokenBudgetOptions {
  /** Model tokens one user may spend per window. */
  readonly max: number;
  readonly windowMs: number;
  /** Shared counters; absent means in process only. */
  readonly redis?: Redis;
  /** When Redis fails: count in process (`open`) or refuse with 503 (`closed`). */
  readonly redisFailure: 'open' | 'closed';
  /** Prefix of every Redis key, so deployments (and tests) never collide. */
  readonly keyPrefix: string;
  readonly logger: Logger;
}

/**
 * The model-token budget per user per window on chat. The route checks it
 * before calling the model (`check`) and reports the model's usage after
 * (`consume`); a user over budget is refused until the window resets.
 */
export class TokenBudget {
  private readonly memory = new MemoryTokenCounterStore();
  private readonly redis: RedisTokenCounterStore | undefined;
  private lastWarn = 0;

  constructor(private readonly options: TokenBudgetOptions) {
    this.redis = options.redis
      ? new RedisTokenCounterStore(options.redis)
      : undefined;
  }

  /** The budget's state without spending; `exceeded` once it is used up. */
  check(holder: BudgetHolder): Promise<LimitState> {
    return this.count(holder, 0);
  }

  /**
   * Spends `tokens` (prompt + completion) of the holder's budget and returns
   * the state after. Fractional counts round up; negative or non-finite
   * ones count as zero. Throws `DEPENDENCY_UNAVAILABLE` when Redis is down
   * and the failure mode is `closed`.
   */
  consume(holder: BudgetHolder, tokens: number): Promise<LimitState> {
    const amount = Number.isFinite(tokens) ? Math.max(0, Math.ceil(tokens)) : 0;
    return this.count(holder, amount);
  }

  private async count(
    holder: BudgetHolder,
    amount: number,
  ): Promise<LimitState> {
    const key = `${this.options.keyPrefix}tokens:${holder.tenant}:${holder.userId}`;
    let store: LimitState['store'] = 'memory';
    let result: Count;
    if (this.redis) {
      try {
        result = await this.redis.add(key, amount, this.options.windowMs);
        store = 'redis';
      } catch (error) {
        if (this.options.redisFailure === 'closed') {
          throw new DependencyUnavailableError('rate-limit store', error);
        }
        this.warnFallback(error);
        result = await this.memory.add(key, amount, this.options.windowMs);
      }
    } else {
      result = await this.memory.add(key, amount, this.options.windowMs);
    }
    return {
      name: 'token-budget',
      max: this.options.max,
      windowMs: this.options.windowMs,
      remaining: Math.max(0, this.options.max - result.total),
      resetSeconds: Math.max(0, Math.ceil(result.ttlMs / 1000)),
      exceeded: result.total >= this.options.max,
      store,
    };
  }

  private warnFallback(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarn < 10_000) return;
    this.lastWarn = now;
    this.options.logger.warn(
      { err: { message: error instanceof Error ? error.message : 'unknown' } },
      'redis unreachable: token budget counted in process (fail open)',
    );
  }
}
