import { describe, expect, it } from 'vitest';
import {
  METRIC_NAMES,
  createServiceMetrics,
  outboxGauges,
} from '../src/index.js';
import { parsePrometheusText, sampleValue } from '../src/testing.js';

function metrics() {
  return createServiceMetrics({ service: 'test', processMetrics: false });
}

async function scrape(m: ReturnType<typeof metrics>) {
  return parsePrometheusText(await m.render());
}

describe('createServiceMetrics', () => {
  it('exposes HTTP requests, errors and durations per route with the service label', async () => {
    const m = metrics();
    const route = { method: 'GET', route: '/v1/whoami' };
    m.observeHttpRequest({ ...route, status: 200, durationSeconds: 0.02 });
    m.observeHttpRequest({ ...route, status: 503, durationSeconds: 0.5 });
    const samples = await scrape(m);
    const labels = { ...route, service: 'test' };
    expect(
      sampleValue(samples, METRIC_NAMES.httpRequests, {
        ...labels,
        status: '200',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, METRIC_NAMES.httpErrors, {
        ...labels,
        status: '503',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, METRIC_NAMES.httpErrors, {
        ...labels,
        status: '200',
      }),
    ).toBeUndefined();
    expect(
      sampleValue(samples, `${METRIC_NAMES.httpDuration}_count`, labels),
    ).toBe(2);
    expect(m.contentType).toMatch(/^text\/plain/);
  });

  it('counts RPC errors apart from handled calls', async () => {
    const m = metrics();
    const method = '/fieldwise.crm.v1.CrmService/GetAccount';
    m.observeRpc({ method, code: 'OK', durationSeconds: 0.01 });
    m.observeRpc({ method, code: 'NOT_FOUND', durationSeconds: 0.01 });
    const samples = await scrape(m);
    expect(sampleValue(samples, METRIC_NAMES.rpcHandled, { method })).toBe(2);
    expect(
      sampleValue(samples, METRIC_NAMES.rpcErrors, {
        method,
        code: 'NOT_FOUND',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, METRIC_NAMES.rpcErrors, { method, code: 'OK' }),
    ).toBeUndefined();
    expect(
      sampleValue(samples, `${METRIC_NAMES.rpcDuration}_count`, { method }),
    ).toBe(2);
  });

  it('records model tokens by kind and latency by outcome', async () => {
    const m = metrics();
    m.observeModelCall({
      provider: 'openai',
      model: 'gpt-4o-mini',
      outcome: 'ok',
      durationSeconds: 1.2,
      inputTokens: 120,
      outputTokens: 30,
    });
    const samples = await scrape(m);
    const labels = { provider: 'openai', model: 'gpt-4o-mini' };
    expect(
      sampleValue(samples, METRIC_NAMES.modelTokens, {
        ...labels,
        kind: 'input',
      }),
    ).toBe(120);
    expect(
      sampleValue(samples, METRIC_NAMES.modelTokens, {
        ...labels,
        kind: 'output',
      }),
    ).toBe(30);
    expect(
      sampleValue(samples, `${METRIC_NAMES.modelDuration}_count`, {
        ...labels,
        outcome: 'ok',
      }),
    ).toBe(1);
  });

  it('counts tools, guardrail hits and rate-limit rejections by their labels', async () => {
    const m = metrics();
    m.countToolCall('account_360', 'executed');
    m.countToolCall('account_360', 'executed');
    m.countGuardrailHit({ rule: 'pii', stage: 'input', outcome: 'redacted' });
    m.countRateLimitRejection('route', 'GET /v1/whoami');
    const samples = await scrape(m);
    expect(
      sampleValue(samples, METRIC_NAMES.toolCalls, {
        tool: 'account_360',
        outcome: 'executed',
      }),
    ).toBe(2);
    expect(
      sampleValue(samples, METRIC_NAMES.guardrailHits, {
        rule: 'pii',
        stage: 'input',
        outcome: 'redacted',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, METRIC_NAMES.rateLimitRejections, {
        limit: 'route',
        route: 'GET /v1/whoami',
      }),
    ).toBe(1);
  });

  it('reads outbox depth and lag at scrape time, skipping a closed outbox', async () => {
    const m = metrics();
    let depth = 3;
    const oldest = Date.now() - 60_000;
    m.addOutbox('audit', { depth: () => depth, oldestPendingAt: () => oldest });
    m.addOutbox('closed', {
      depth: () => {
        throw new Error('closed');
      },
      oldestPendingAt: () => null,
    });
    const audit = { outbox: 'audit' };
    expect(sampleValue(await scrape(m), METRIC_NAMES.outboxDepth, audit)).toBe(
      3,
    );
    depth = 0;
    const samples = await scrape(m);
    expect(sampleValue(samples, METRIC_NAMES.outboxDepth, audit)).toBe(0);
    expect(
      sampleValue(samples, METRIC_NAMES.outboxLag, audit),
    ).toBeGreaterThanOrEqual(60);
    expect(
      sampleValue(samples, METRIC_NAMES.outboxDepth, { outbox: 'closed' }),
    ).toBeUndefined();
  });

  it('keeps the last consumer lag when a read fails', async () => {
    const m = metrics();
    let fail = false;
    m.addConsumerLag(() =>
      fail
        ? Promise.reject(new Error('broker away'))
        : Promise.resolve([{ group: 'g', topic: 't', partition: 0, lag: 7 }]),
    );
    const labels = { group: 'g', topic: 't', partition: '0' };
    expect(sampleValue(await scrape(m), METRIC_NAMES.consumerLag, labels)).toBe(
      7,
    );
    fail = true;
    expect(sampleValue(await scrape(m), METRIC_NAMES.consumerLag, labels)).toBe(
      7,
    );
  });

  it('exports the process series only when asked', async () => {
    const name = 'fieldwise_process_cpu_seconds_total';
    const withProcess = createServiceMetrics({ service: 'p' });
    expect(sampleValue(await scrape(withProcess), name)).toBeDefined();
    expect(sampleValue(await scrape(metrics()), name)).toBeUndefined();
  });
});

describe('parsePrometheusText', () => {
  it('reads names, escaped label values and values', () => {
    expect(
      parsePrometheusText('# HELP x y\nx{a="1",b="q\\"uote"} 2.5\ny 3\n'),
    ).toEqual([
      { name: 'x', labels: { a: '1', b: 'q"uote' }, value: 2.5 },
      { name: 'y', labels: {}, value: 3 },
    ]);
  });
});

describe('outboxGauges', () => {
  it('turns the oldest pending timestamp into an age in seconds', () => {
    expect(
      outboxGauges({ depth: () => 2, oldestPendingAt: () => 1_000 }, 4_000),
    ).toEqual({ depth: 2, lagSeconds: 3 });
    expect(
      outboxGauges({ depth: () => 0, oldestPendingAt: () => null }, 4_000),
    ).toEqual({ depth: 0, lagSeconds: 0 });
  });
});
