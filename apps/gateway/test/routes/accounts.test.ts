import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  MonthlyConsumption,
  OpportunityStage,
  UseCase,
  UseCaseStage,
} from '@fieldwise/contracts';
import { NotFoundError, PermissionDeniedError } from '@fieldwise/errors';
import { createInMemoryTracing } from '@fieldwise/telemetry/testing';
import { GrpcCrmClient } from '../../src/clients/crm-client.js';
import { shiftMonth } from '../../src/routes/v1/accounts/month-window.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import {
  deadPort,
  SAMPLE_ACCOUNT,
  startFakeBackends,
  UNLIMITED_ENV,
  type FakeBackends,
} from '../helpers/fake-backends.js';

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

// Twelve months of spend ending 2026-10, as the CRM's default range.
function months(from: string, count: number): MonthlyConsumption[] {
  return Array.from({ length: count }, (_, i) =>
    MonthlyConsumption.fromPartial({
      month: shiftMonth(from, i),
      amount: { currencyCode: 'USD', amountMicros: (i + 1) * 1_000_000 },
      ...(i > 0 ? { momGrowth: 0.1 } : {}),
    }),
  );
}

describe('accounts and hygiene routes against a fake crm-service', () => {
  // Registers the W3C propagator, so the trace reaches the fake backend.
  const tracing = createInMemoryTracing();
  let fake: FakeBackends;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeBackends();
    gateway = await buildTestGateway(
      echoIdentity,
      { signer: fake.signer, ...fake.clients },
      { env: UNLIMITED_ENV },
    );
  });
  afterAll(async () => {
    await gateway.app.close();
    await fake.stop();
    await tracing.shutdown();
  });
  beforeEach(() => fake.reset());

  async function get(url: string) {
    const token = await gateway.token({
      sub: 'u-seller-1',
      territories: ['amer-east'],
    });
    return gateway.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
    });
  }

  it('lists accounts: the query becomes FindAccounts, made as the caller', async () => {
    const response = await get(
      '/v1/accounts?q=acme&owner=u-seller-1&domain=acme.com&pageSize=10&pageToken=t1',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          id: 'acc-1',
          name: 'Acme Corporation',
          domain: 'acme.com',
          industry: 'Manufacturing',
          segment: 'Enterprise',
          territory: 'amer-east',
          region: 'AMER',
          owner: { userId: 'u-seller-1', name: 'East Seller' },
          arr: { currency: 'USD', amount: 1_250_000.5 },
          score: 1,
        },
      ],
      nextPageToken: null,
      totalSize: 1,
    });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({
      method: 'findAccounts',
      request: {
        query: 'acme',
        ownerUserId: 'u-seller-1',
        domain: 'acme.com',
        page: { pageSize: 10, pageToken: 't1' },
      },
      principal: {
        userId: 'u-seller-1',
        tenant: 'lumen',
        roles: ['seller'],
        territories: ['amer-east'],
      },
    });
    // The backend call joins the request's trace.
    expect(fake.calls[0]?.traceId).toBe(response.headers['trace-id']);
  });

  it('passes the next page token through', async () => {
    fake.crm.findAccounts = () => ({
      accounts: [],
      page: { nextPageToken: 'next-2', totalSize: 120 },
    });
    const response = await get('/v1/accounts');
    expect(response.json()).toEqual({
      items: [],
      nextPageToken: 'next-2',
      totalSize: 120,
    });
    expect(fake.calls[0]?.request).toMatchObject({
      query: '',
      page: { pageSize: 0, pageToken: '' },
    });
  });

  it.each([
    ['/v1/accounts?pageSize=0', 'querystring.pageSize'],
    ['/v1/accounts?pageSize=abc', 'querystring.pageSize'],
    [`/v1/accounts?q=${'x'.repeat(201)}`, 'querystring.q'],
    ['/v1/accounts?domain=a%20b', 'querystring.domain'],
    ['/v1/accounts/a%20b', 'params.id'],
    ['/v1/accounts/acc-1/consumption?from=2026-13', 'querystring.from'],
    [
      '/v1/accounts/acc-1/consumption?from=2026-01&months=3',
      'querystring.months',
    ],
    [
      '/v1/accounts/acc-1/consumption?from=2026-05&to=2026-01',
      'querystring.from',
    ],
    ['/v1/accounts/acc-1/similar?limit=21', 'querystring.limit'],
    ['/v1/alerts/hygiene?horizonDays=366', 'querystring.horizonDays'],
  ])('%s is 400 naming %s, without calling the crm', async (url, field) => {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    const problem = response.json<Problem>();
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(fake.calls).toHaveLength(0);
  });

  it('maps the account 360 view', async () => {
    const useCase = UseCase.fromPartial({
      id: 'uc-1',
      accountId: 'acc-1',
      name: 'Fraud detection',
      stage: UseCaseStage.ON_HOLD,
      goLiveDate: '',
      blockers: ['security review'],
      version: 3,
    });
    const base = fake.crm.getAccount360;
    fake.crm.getAccount360 = async (request, ctx) => ({
      ...(await base(request, ctx)),
      topUseCases: [useCase],
      openOpportunities: [
        {
          id: 'opp-1',
          accountId: 'acc-1',
          name: 'Renewal',
          stage: OpportunityStage.CLOSED_WON,
          amount: { currencyCode: 'EUR', amountMicros: 2_500_000 },
          closeDate: '2026-12-01',
          probability: 90,
          ownerUserId: 'u-seller-1',
          nextStep: '',
          productLines: ['stream'],
          competitors: [],
          version: 7,
          updatedAt: '2026-11-01T00:00:00.000Z',
        },
      ],
    });
    const response = await get('/v1/accounts/acc-1');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      account: { id: 'acc-1', country: 'US', customerSince: null },
      owner: null,
      arr: { currency: 'USD', amount: 1_250_000.5 },
      asOf: '2026-11-25',
      topUseCases: [
        {
          id: 'uc-1',
          stage: 'on_hold',
          goLiveDate: null,
          executiveSponsor: null,
          blockers: ['security review'],
          opportunityId: null,
        },
      ],
      openOpportunities: [
        {
          id: 'opp-1',
          stage: 'closed_won',
          amount: { currency: 'EUR', amount: 2.5 },
          version: 7,
        },
      ],
    });
    expect(fake.calls[0]?.request).toEqual({ accountId: 'acc-1' });
  });

  it('answers an account the crm hides as 404 problem+json', async () => {
    fake.crm.getAccount360 = (request) => {
      throw new NotFoundError('account', request.accountId);
    };
    const response = await get('/v1/accounts/acc-other');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    expect(response.json()).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      instance: '/v1/accounts/acc-other',
    });
  });

  it('maps a crm PERMISSION_DENIED to 403', async () => {
    fake.crm.findAccounts = () => {
      throw new PermissionDeniedError('This role has no access');
    };
    const response = await get('/v1/accounts');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('asks for consumption months ending with `to`, with product and cloud lists', async () => {
    const response = await get(
      '/v1/accounts/acc-1/consumption?to=2026-06&months=3&productLine=stream,connect&productLine=govern&cloud=AWS',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(fake.calls[0]?.request).toEqual({
      accountId: 'acc-1',
      fromMonth: '2026-04',
      toMonth: '2026-06',
      productLines: ['stream', 'connect', 'govern'],
      clouds: ['AWS'],
    });
  });

  it('trims the default range to the trailing `months` months', async () => {
    fake.crm.getConsumption = (request) => ({
      accountId: request.accountId,
      series: [
        {
          productLine: 'stream',
          cloud: 'AWS',
          months: months('2025-11', 12),
        },
      ],
      total: months('2025-11', 12),
    });
    const response = await get('/v1/accounts/acc-1/consumption?months=3');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{
      total: { month: string; momGrowth: number | null }[];
      series: { months: { month: string }[] }[];
    }>();
    expect(body.total.map((m) => m.month)).toEqual([
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    expect(body.series[0]?.months.map((m) => m.month)).toEqual([
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    expect(body.total[0]).toMatchObject({
      amount: { currency: 'USD', amount: 10 },
      momGrowth: 0.1,
    });
    expect(fake.calls).toHaveLength(1);
  });

  it('widens past the default range when more months are asked for', async () => {
    fake.crm.getConsumption = (request) => {
      const from = request.fromMonth || '2025-11';
      const count =
        (Number(request.toMonth.slice(0, 4) || 2026) -
          Number(from.slice(0, 4))) *
          12 +
        (Number(request.toMonth.slice(5) || 10) - Number(from.slice(5))) +
        1;
      return {
        accountId: request.accountId,
        series: [],
        total: months(from, count),
      };
    };
    const response = await get('/v1/accounts/acc-1/consumption?months=24');
    expect(response.statusCode, response.body).toBe(200);
    expect(fake.calls.map((c) => c.request)).toMatchObject([
      { fromMonth: '', toMonth: '' },
      { fromMonth: '2024-11', toMonth: '2026-10' },
    ]);
    const total = response.json<{ total: { month: string }[] }>().total;
    expect(total).toHaveLength(24);
    expect(total[0]?.month).toBe('2024-11');
  });

  it('passes similar-customer limits and maps the answer', async () => {
    fake.crm.getSimilarCustomers = () => ({
      similarAccounts: [
        {
          account: SAMPLE_ACCOUNT,
          similarity: 0.8,
          reasons: ['same industry'],
        },
      ],
      recommendedUseCases: [
        {
          category: 'real-time fraud detection',
          productLine: 'stream',
          revenue: { currencyCode: 'USD', amountMicros: 3_000_000 },
          liveAtAccountIds: ['acc-9'],
          reason: 'live at 1 of 1 similar accounts',
        },
      ],
    });
    const response = await get(
      '/v1/accounts/acc-1/similar?limit=3&useCaseLimit=4',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(fake.calls[0]?.request).toEqual({
      accountId: 'acc-1',
      limit: 3,
      useCaseLimit: 4,
    });
    expect(response.json()).toMatchObject({
      similarAccounts: [
        {
          account: { id: 'acc-1' },
          similarity: 0.8,
          reasons: ['same industry'],
        },
      ],
      recommendedUseCases: [
        {
          revenue: { currency: 'USD', amount: 3 },
          liveAtAccountIds: ['acc-9'],
        },
      ],
    });
  });

  it('passes hygiene filters and maps the lists', async () => {
    fake.crm.getHygieneAlerts = (request) => ({
      asOf: '2026-11-25',
      horizonDays: request.horizonDays,
      goingLive: [
        UseCase.fromPartial({
          id: 'uc-2',
          stage: UseCaseStage.IMPLEMENTATION,
          executiveSponsorContactId: 'c-1',
          executiveSponsorName: 'Dana CFO',
        }),
      ],
      topBlockers: [
        {
          blocker: 'security review',
          useCaseCount: 2,
          revenueAtRisk: undefined,
          useCaseIds: ['uc-2', 'uc-3'],
        },
      ],
      missingSponsor: [],
      missingFields: [
        {
          entityType: 2,
          entityId: 'uc-3',
          name: 'Churn model',
          accountId: 'acc-1',
          missingFields: ['go_live_date'],
        },
      ],
      pastCloseDate: [],
    });
    const response = await get(
      '/v1/alerts/hygiene?horizonDays=30&accountId=acc-1&limit=5',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(fake.calls[0]?.request).toEqual({
      horizonDays: 30,
      accountId: 'acc-1',
      ownerUserId: '',
      limit: 5,
    });
    expect(response.json()).toMatchObject({
      horizonDays: 30,
      goingLive: [
        {
          id: 'uc-2',
          stage: 'implementation',
          executiveSponsor: { contactId: 'c-1', name: 'Dana CFO' },
        },
      ],
      topBlockers: [{ blocker: 'security review', revenueAtRisk: null }],
      missingFields: [
        { entityType: 'use_case', missingFields: ['go_live_date'] },
      ],
    });
  });
});

describe('accounts routes with the crm-service down', () => {
  it('answers 503 problem+json with Retry-After', async () => {
    const crm = new GrpcCrmClient(`127.0.0.1:${await deadPort()}`, {
      deadlineMs: 2_000,
      logger: pino({ level: 'silent' }),
    });
    const gateway = await buildTestGateway(echoIdentity, { crm });
    try {
      const token = await gateway.token();
      const response = await gateway.app.inject({
        method: 'GET',
        url: '/v1/accounts',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.json()).toMatchObject({
        status: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
      });
    } finally {
      await gateway.app.close();
      crm.close();
    }
  });
});
