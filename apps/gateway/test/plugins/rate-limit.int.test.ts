import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES } from '@fieldwise/events';
import { TokenBudget } from '../../src/rate-limit/token-budget.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import { cannedAgent, finalAnswer, turnEvents } from '../helpers/fake-agent.js';
import { auditEventsOfTrace } from '../helpers/audit.js';

// Against the machine's real Redis (never stopped here) and a dead port.
const REDIS_URL = 'redis://127.0.0.1:6379';
const DEAD_REDIS_URL = 'redis://127.0.0.1:1';

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}

function expectRateLimitHeaders(response: Answer): void {
  expect(response.headers['ratelimit-policy']).toMatch(
    /^"principal";q=\d+;w=\d+, "route";q=\d+;w=\d+$/,
  );
  expect(response.headers['ratelimit']).toMatch(
    /^"principal";r=\d+;t=\d+, "route";r=\d+;t=\d+$/,
  );
}

function expect429(response: Answer, limit: string): void {
  expect(response.statusCode).toBe(429);
  expect(response.headers['content-type']).toMatch(
    /^application\/problem\+json/,
  );
  expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expectRateLimitHeaders(response);
  const body = response.json() as { code: string; detail: string };
  expect(body.code).toBe('RATE_LIMITED');
  expect(body.detail).toContain(`'${limit}' limit`);
}

describe('rate limits', () => {
  const prefix = `fieldwise:test:rl:${randomBytes(6).toString('hex')}:`;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    // Only this run's keys: the shared Redis keeps everything else.
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  describe('two gateway replicas sharing the real Redis', () => {
    const routeMax = 20;
    let replicas: TestGateway[];

    beforeAll(async () => {
      const jwtSecret = new Uint8Array(randomBytes(32));
      const options = {
        jwtSecret,
        redisKeyPrefix: `${prefix}shared:`,
        env: {
          REDIS_URL,
          RATE_LIMIT_WINDOW: '10m',
          RATE_LIMIT_ROUTE_MAX: String(routeMax),
          RATE_LIMIT_PRINCIPAL_MAX: '1000',
        },
      };
      replicas = [
        await buildTestGateway(echoIdentity, {}, options),
        await buildTestGateway(echoIdentity, {}, options),
      ];
    });
    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.app.close()));
    });

    it('accepts no more than the limit across both, and every rejection carries the headers', async () => {
      const token = await replicas[0]!.token({ sub: 'u-shared-1' });
      const responses = await Promise.all(
        Array.from({ length: 3 * routeMax }, (_, i) =>
          replicas[i % 2]!.app.inject({
            method: 'GET',
            url: '/v1/models',
            headers: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      const accepted = responses.filter((r) => r.statusCode === 200);
      const rejected = responses.filter((r) => r.statusCode !== 200);
      expect(accepted).toHaveLength(routeMax);
      // Both replicas served some of the accepted ones: the count is shared.
      expect(
        responses.filter((r, i) => i % 2 === 0 && r.statusCode === 200).length,
      ).toBeLessThan(routeMax);
      for (const response of accepted) expectRateLimitHeaders(response);
      for (const response of rejected) expect429(response, 'route');
    });

    it('records each rejection as a rate-limit audit event naming the limit', async () => {
      const token = await replicas[0]!.token({ sub: 'u-shared-1' });
      const response = await replicas[1]!.app.inject({
        method: 'GET',
        url: '/v1/models',
        headers: { authorization: `Bearer ${token}` },
      });
      expect429(response, 'route');
      const events = auditEventsOfTrace(
        replicas[1]!,
        String(response.headers['trace-id']),
      );
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining([
          AUDIT_EVENT_TYPES.rateLimit,
          AUDIT_EVENT_TYPES.request,
        ]),
      );
      const limit = events.find((e) => e.type === AUDIT_EVENT_TYPES.rateLimit);
      expect(limit?.data).toMatchObject({
        limit: 'route',
        max: routeMax,
        route: 'GET /v1/models',
      });
      const request = events.find((e) => e.type === AUDIT_EVENT_TYPES.request);
      expect(request?.data).toMatchObject({
        status: 429,
        errorCode: 'RATE_LIMITED',
      });
    });
  });

  it('checks every limit and names the first one reached', async () => {
    const gateway = await buildTestGateway(
      echoIdentity,
      {},
      {
        redisKeyPrefix: `${prefix}order:`,
        env: {
          REDIS_URL,
          RATE_LIMIT_WINDOW: '10m',
          RATE_LIMIT_ROUTE_MAX: '3',
          RATE_LIMIT_PRINCIPAL_MAX: '5',
        },
      },
    );
    try {
      const auth = {
        authorization: `Bearer ${await gateway.token({ sub: 'u-order-1' })}`,
      };
      const get = (url: string) =>
        gateway.app.inject({ method: 'GET', url, headers: auth });
      for (let i = 0; i < 3; i++)
        expect((await get('/v1/models')).statusCode).toBe(200);
      expect429(await get('/v1/models'), 'route');
      // Four requests counted against the principal so far; one more fits.
      expect((await get('/v1/whoami')).statusCode).toBe(200);
      expect429(await get('/v1/whoami'), 'principal');
      // Both reached now: the first in order (principal) is named, the other listed.
      const both = await get('/v1/models');
      expect429(both, 'principal');
      expect(both.json<{ detail: string }>().detail).toContain(
        'also reached: route',
      );
    } finally {
      await gateway.app.close();
    }
  });

  it('keys limits by principal: another user is not affected', async () => {
    const gateway = await buildTestGateway(
      echoIdentity,
      {},
      {
        env: { RATE_LIMIT_ROUTE_MAX: '1' },
      },
    );
    try {
      const call = async (sub: string, tenant: string) =>
        gateway.app.inject({
          method: 'GET',
          url: '/v1/models',
          headers: {
            authorization: `Bearer ${await gateway.token({ sub, tenant })}`,
          },
        });
      expect((await call('u-a', 'lumen')).statusCode).toBe(200);
      expect((await call('u-a', 'lumen')).statusCode).toBe(429);
      expect((await call('u-b', 'lumen')).statusCode).toBe(200);
      expect((await call('u-a', 'northstar')).statusCode).toBe(200);
    } finally {
      await gateway.app.close();
    }
  });

  it('refuses chat once the model-token budget is spent, naming it', async () => {
    const gateway = await buildTestGateway(
      echoIdentity,
      {
        // The chat route, on an agent whose every turn reports 600 tokens.
        agent: {
          ...cannedAgent(),
          // eslint-disable-next-line @typescript-eslint/require-await -- canned events
          async *chat() {
            yield* turnEvents(
              finalAnswer({
                usage: {
                  promptTokens: 500,
                  completionTokens: 100,
                  totalTokens: 600,
                },
              }),
            );
          },
        },
      },
      {
        redisKeyPrefix: `${prefix}chat:`,
        env: { REDIS_URL, CHAT_TOKEN_BUDGET_PER_MINUTE: '1000' },
      },
    );
    try {
      const headers = {
        authorization: `Bearer ${await gateway.token({ sub: 'u-chat-1' })}`,
        'content-type': 'application/json',
      };
      const chat = () =>
        gateway.app.inject({
          method: 'POST',
          url: '/v1/chat',
          headers,
          payload: { message: 'hi' },
        });
      expect((await chat()).statusCode).toBe(200);
      const second = await chat();
      expect(second.statusCode).toBe(200);
      expect(second.headers['ratelimit']).toMatch(
        /"token-budget";r=400;t=\d+$/,
      );
      const refused = await chat();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(refused.headers['ratelimit-policy']).toContain(
        '"token-budget";q=1000;w=60',
      );
      expect(refused.json<{ detail: string }>().detail).toContain(
        "'token-budget' limit of 1000 model tokens",
      );
    } finally {
      await gateway.app.close();
    }
  });

  describe('when Redis is unreachable', () => {
    it('fails open to in-process counters when configured so', async () => {
      const gateway = await buildTestGateway(
        echoIdentity,
        {},
        {
          env: {
            REDIS_URL: DEAD_REDIS_URL,
            RATE_LIMIT_REDIS_FAILURE: 'open',
            RATE_LIMIT_ROUTE_MAX: '3',
          },
        },
      );
      try {
        const auth = { authorization: `Bearer ${await gateway.token()}` };
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const response = await gateway.app.inject({
            method: 'GET',
            url: '/v1/models',
            headers: auth,
          });
          statuses.push(response.statusCode);
          if (response.statusCode === 429) expect429(response, 'route');
          else expectRateLimitHeaders(response);
        }
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
      } finally {
        await gateway.app.close();
      }
    });

    it('fails closed with 503 and Retry-After when configured so', async () => {
      const gateway = await buildTestGateway(
        echoIdentity,
        {},
        {
          env: {
            REDIS_URL: DEAD_REDIS_URL,
            RATE_LIMIT_REDIS_FAILURE: 'closed',
          },
        },
      );
      try {
        const response = await gateway.app.inject({
          method: 'GET',
          url: '/v1/models',
          headers: { authorization: `Bearer ${await gateway.token()}` },
        });
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
        const problem = response.json<{ code: string; traceId: string }>();
        expect(problem.code).toBe('DEPENDENCY_UNAVAILABLE');
        expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
      } finally {
        await gateway.app.close();
      }
    });
  });

  describe('model-token budget per user per minute', () => {
    const logger = pino({ level: 'silent' });
    const holder = { tenant: 'lumen', userId: 'u-budget-1' };

    it('is shared by replicas through Redis and refuses once spent', async () => {
      const redisA = new Redis(REDIS_URL);
      const redisB = new Redis(REDIS_URL);
      try {
        const settings = {
          max: 1_000,
          windowMs: 60_000,
          redisFailure: 'closed' as const,
          keyPrefix: `${prefix}budget:`,
          logger,
        };
        const a = new TokenBudget({ ...settings, redis: redisA });
        const b = new TokenBudget({ ...settings, redis: redisB });
        expect(await a.check(holder)).toMatchObject({
          exceeded: false,
          remaining: 1_000,
          store: 'redis',
        });
        await a.consume(holder, 600);
        expect(await b.check(holder)).toMatchObject({
          exceeded: false,
          remaining: 400,
        });
        await b.consume(holder, 400.2);
        const after = await a.check(holder);
        expect(after).toMatchObject({ exceeded: true, remaining: 0 });
        expect(after.resetSeconds).toBeGreaterThan(0);
        // Another user's budget is untouched.
        expect(
          await a.check({ tenant: 'lumen', userId: 'u-budget-2' }),
        ).toMatchObject({ exceeded: false });
      } finally {
        redisA.disconnect();
        redisB.disconnect();
      }
    });

    it('follows the failure mode when Redis is down', async () => {
      const dead = new Redis(DEAD_REDIS_URL, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: true,
      });
      dead.on('error', () => undefined);
      try {
        const base = { max: 10, windowMs: 60_000, keyPrefix: prefix, logger };
        const closed = new TokenBudget({
          ...base,
          redis: dead,
          redisFailure: 'closed',
        });
        await expect(closed.check(holder)).rejects.toMatchObject({
          code: 'DEPENDENCY_UNAVAILABLE',
        });
        const open = new TokenBudget({
          ...base,
          redis: dead,
          redisFailure: 'open',
        });
        await open.consume(holder, 10);
        expect(await open.check(holder)).toMatchObject({
          exceeded: true,
          store: 'memory',
        });
      } finally {
        dead.disconnect();
      }
    });
  });
});
