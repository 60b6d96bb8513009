import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryTracing, type InMemoryTracing } from '../src/testing.js';
import { DEFAULT_REDACT_PATHS, createLogger } from '../src/index.js';
import { memoryDestination } from './helpers.js';

let tracing: InMemoryTracing;
beforeAll(() => {
  tracing = createInMemoryTracing();
});
afterAll(() => tracing.shutdown());

describe('createLogger', () => {
  it('stamps service, ISO time and level words', () => {
    const out = memoryDestination();
    const log = createLogger({ name: 'crm-service', destination: out.stream });
    log.info('ready');
    const [line] = out.lines();
    expect(line).toMatchObject({
      service: 'crm-service',
      level: 'info',
      msg: 'ready',
    });
    expect(typeof line?.time).toBe('string');
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
    expect(line).not.toHaveProperty('traceId');
  });

  it('stamps the trace and span ids of the active span, in children too', () => {
    const out = memoryDestination();
    const log = createLogger({ name: 'gateway', destination: out.stream });
    const tracer = trace.getTracer('test');
    const ids = tracer.startActiveSpan('request', (span) => {
      log.info('inside');
      log.child({ route: '/v1/chat' }).warn('child inside');
      span.end();
      return span.spanContext();
    });
    log.info('outside');
    const [inside, child, outside] = out.lines();
    expect(inside).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
    expect(child).toMatchObject({
      traceId: ids.traceId,
      spanId: ids.spanId,
      route: '/v1/chat',
    });
    expect(outside).not.toHaveProperty('traceId');
  });

  it('keeps the ids across await', async () => {
    const out = memoryDestination();
    const log = createLogger({
      name: 'agent-service',
      destination: out.stream,
    });
    const tracer = trace.getTracer('test');
    const traceId = await tracer.startActiveSpan('turn', async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      log.info('after await');
      span.end();
      return span.spanContext().traceId;
    });
    expect(out.lines()[0]?.traceId).toBe(traceId);
  });

  it('redacts credentials and payloads but keeps msg and error messages', () => {
    const out = memoryDestination();
    const log = createLogger({
      name: 'gateway',
      destination: out.stream,
      redact: ['customer.ssn'],
    });
    log.info(
      {
        req: {
          method: 'POST',
          headers: {
            authorization: 'Bearer eyJhbGciOi.secret.token',
            cookie: 'session=abc123',
            'x-api-key': 'fw_live_key_123',
            accept: 'application/json',
          },
        },
        user: { id: 'u-1', password: 'hunter2', apiKey: 'sk-123' },
        token: 'top-level-token',
        body: { message: 'call Acme about the renewal' },
        message: 'what should I know before my call with Acme?',
        customer: { ssn: '123-45-6789', name: 'Acme' },
      },
      'request received',
    );
    log.error({ err: new Error('upstream failed') }, 'boom');
    const [first, second] = out.lines();
    const text = JSON.stringify(first);
    for (const leaked of [
      'eyJhbGciOi',
      'abc123',
      'fw_live_key_123',
      'hunter2',
      'sk-123',
      'top-level-token',
      'Acme about',
      'before my call',
      '123-45-6789',
    ]) {
      expect(text).not.toContain(leaked);
    }
    expect(first).toMatchObject({
      msg: 'request received',
      req: {
        method: 'POST',
        headers: { authorization: '[redacted]', accept: 'application/json' },
      },
      user: { id: 'u-1', password: '[redacted]' },
      body: '[redacted]',
      message: '[redacted]',
      customer: { name: 'Acme', ssn: '[redacted]' },
    });
    expect(second).toMatchObject({
      msg: 'boom',
      err: { message: 'upstream failed' },
    });
  });

  it('exports the redact paths for the Fastify logger', () => {
    expect(DEFAULT_REDACT_PATHS).toEqual(
      expect.arrayContaining([
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        '*.password',
        '*.token',
        '*.secret',
        '*.apiKey',
        'body',
        'payload',
        'request.body',
        'response.body',
      ]),
    );
    expect(DEFAULT_REDACT_PATHS).not.toContain('msg');
    expect(Object.isFrozen(DEFAULT_REDACT_PATHS)).toBe(true);
  });

  it('honours the level', () => {
    const out = memoryDestination();
    const log = createLogger({
      name: 'x',
      level: 'warn',
      destination: out.stream,
    });
    log.info('dropped');
    log.warn('kept');
    expect(out.lines().map((l) => l.msg)).toEqual(['kept']);
  });
});
