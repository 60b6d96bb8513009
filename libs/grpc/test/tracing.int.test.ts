import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startHarness, type Harness } from './support/harness.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
let h: Harness;

beforeAll(async () => {
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  h = await startHarness();
});

beforeEach(() => {
  exporter.reset();
});

afterAll(async () => {
  await h.close();
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

const ECHO = 'fieldwise.test.v1.TestService/Echo';

describe('trace propagation', () => {
  it('links the server span to the client span of the same trace', async () => {
    const token = await h.token();
    const response = await trace
      .getTracer('test')
      .startActiveSpan('gateway-request', async (root) => {
        try {
          return await h.client.echo({ text: 'hi' }, { principalToken: token });
        } finally {
          root.end();
        }
      });

    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'gateway-request');
    const client = spans.find(
      (s) => s.name === ECHO && s.kind === SpanKind.CLIENT,
    );
    const server = spans.find(
      (s) => s.name === ECHO && s.kind === SpanKind.SERVER,
    );
    const inner = spans.find((s) => s.name === 'inside-handler');
    expect(root && client && server && inner).toBeTruthy();

    const traceId = root!.spanContext().traceId;
    expect(client!.spanContext().traceId).toBe(traceId);
    expect(server!.spanContext().traceId).toBe(traceId);
    expect(client!.parentSpanContext?.spanId).toBe(root!.spanContext().spanId);
    expect(server!.parentSpanContext?.spanId).toBe(
      client!.spanContext().spanId,
    );
    expect(server!.parentSpanContext?.isRemote).toBe(true);
    // The handler runs inside the server span's context.
    expect(inner!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(response.traceId).toBe(traceId);

    expect(server!.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.service': 'fieldwise.test.v1.TestService',
      'rpc.method': 'Echo',
      'rpc.grpc.status_code': 0,
    });
    expect(client!.attributes['rpc.grpc.status_code']).toBe(0);
  });

  it('records the status of a failed call on both spans', async () => {
    await h.client
      .fail({ kind: 'plain' }, { principalToken: await h.token() })
      .catch(() => undefined);

    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    const client = spans.find((s) => s.kind === SpanKind.CLIENT);
    expect(server?.attributes['rpc.grpc.status_code']).toBe(13);
    expect(server?.status.code).toBe(2);
    expect(client?.attributes['rpc.grpc.status_code']).toBe(13);
    expect(server?.spanContext().traceId).toBe(client?.spanContext().traceId);
  });

  it('starts a client span per retry attempt', async () => {
    await h.client.attempt(
      { key: 'traced', failures: 1 },
      { principalToken: await h.token(), idempotent: true },
    );
    const clientSpans = exporter
      .getFinishedSpans()
      .filter((s) => s.kind === SpanKind.CLIENT);
    expect(
      clientSpans.map((s) => s.attributes['rpc.grpc.status_code']),
    ).toEqual([14, 0]);
  });
});
