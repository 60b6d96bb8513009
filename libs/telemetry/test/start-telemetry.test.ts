import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  currentTraceparent,
  otlpTracesUrl,
  startTelemetry,
  traceIdOf,
  type Telemetry,
} from '../src/index.js';
import { memoryDestination } from './helpers.js';

const silent = pino({ level: 'silent' });
let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

const INCOMING = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('startTelemetry without an exporter', () => {
  it('records nothing yet propagates traceparent (inject/extract round trip)', () => {
    telemetry = startTelemetry({ serviceName: 'gateway', logger: silent });
    expect(telemetry).toMatchObject({ enabled: false, exporter: 'none' });

    const parent = propagation.extract(context.active(), {
      traceparent: INCOMING,
    });
    const outgoing: Record<string, string> = {};
    const span = trace.getTracer('test').startSpan('handle', {}, parent);
    expect(span.isRecording()).toBe(false);
    context.with(trace.setSpan(parent, span), () => {
      propagation.inject(context.active(), outgoing);
      expect(traceIdOf()).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(currentTraceparent()).toBe(outgoing.traceparent);
    });
    span.end();

    const [version, traceId, spanId] = (outgoing.traceparent ?? '').split('-');
    expect(version).toBe('00');
    expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe('00f067aa0ba902b7');
  });

  it('gives new requests real trace ids for log correlation', () => {
    telemetry = startTelemetry({ serviceName: 'gateway' });
    const out = memoryDestination();
    const log = createLogger({ name: 'gateway', destination: out.stream });
    trace.getTracer('test').startActiveSpan('request', (span) => {
      log.info('handled');
      span.end();
    });
    const [line] = out.lines();
    expect(line?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(line?.traceId).not.toBe('00000000000000000000000000000000');
    expect(line?.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('falls back with a warning on a malformed OTLP endpoint', () => {
    const out = memoryDestination();
    const logger = createLogger({ name: 'gateway', destination: out.stream });
    telemetry = startTelemetry({
      serviceName: 'gateway',
      otlpEndpoint: 'otel-collector:4318',
      logger,
    });
    expect(telemetry).toMatchObject({ enabled: false, exporter: 'none' });
    const [warning] = out.lines();
    expect(warning).toMatchObject({
      level: 'warn',
      setting: 'otlpEndpoint',
      msg: 'OTLP endpoint is not an absolute http(s) URL; trace export is disabled',
    });
    // Propagation still works in the fallback.
    const carrier: Record<string, string> = {};
    propagation.inject(
      propagation.extract(context.active(), { traceparent: INCOMING }),
      carrier,
    );
    expect(carrier.traceparent).toBe(INCOMING);
  });
});

describe('startTelemetry with a span exporter', () => {
  it('exports every span with the service resource', () => {
    const exporter = new InMemorySpanExporter();
    telemetry = startTelemetry({
      serviceName: 'crm-service',
      serviceVersion: '1.2.3',
      spanExporter: exporter,
      otlpEndpoint: 'http://ignored:4318',
    });
    expect(telemetry).toMatchObject({ enabled: true, exporter: 'custom' });
    trace.getTracer('test').startSpan('GetAccount').end();
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GetAccount');
    expect(span?.resource.attributes).toMatchObject({
      'service.name': 'crm-service',
      'service.version': '1.2.3',
    });
  });

  it('warns and stays inactive when tracing is already started', async () => {
    const exporter = new InMemorySpanExporter();
    telemetry = startTelemetry({ serviceName: 'a', spanExporter: exporter });
    const out = memoryDestination();
    const second = startTelemetry({
      serviceName: 'b',
      spanExporter: new InMemorySpanExporter(),
      logger: createLogger({ name: 'b', destination: out.stream }),
    });
    expect(second).toMatchObject({ enabled: false, exporter: 'none' });
    expect(out.lines()[0]?.level).toBe('warn');
    await second.shutdown();
    trace.getTracer('test').startSpan('still first').end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      'still first',
    ]);
  });
});

describe('startTelemetry with OTLP', () => {
  it('builds the traces URL from the base endpoint', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(otlpTracesUrl('http://collector:4318/')).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(otlpTracesUrl('https://gw.example/otel')).toBe(
      'https://gw.example/otel/v1/traces',
    );
    expect(otlpTracesUrl('http://c:4318/v1/traces')).toBe(
      'http://c:4318/v1/traces',
    );
    expect(otlpTracesUrl('grpc://c:4317')).toBeUndefined();
    expect(otlpTracesUrl('c:4318')).toBeUndefined();
  });

  it('batches spans to the collector and flushes them on shutdown', async () => {
    const received: { url: string | undefined; body: string }[] = [];
    const collector = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          url: req.url,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) =>
      collector.listen(0, '127.0.0.1', resolve),
    );
    const { port } = collector.address() as AddressInfo;
    try {
      const started = startTelemetry({
        serviceName: 'agent-service',
        otlpEndpoint: `http://127.0.0.1:${port}`,
        logger: silent,
      });
      expect(started).toMatchObject({ enabled: true, exporter: 'otlp' });
      trace.getTracer('test').startSpan('chat gpt-4o').end();
      await started.shutdown();
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.url).toBe('/v1/traces');
    const body = received[0]?.body ?? '';
    expect(body).toContain('chat gpt-4o');
    expect(body).toContain('agent-service');
  });
});
