import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { context, propagation, trace } from '@opentelemetry/api';
import {
  registerTracingGlobals,
  unregisterTracingGlobals,
} from './tracing-globals.js';

/** Global tracing that keeps finished spans in memory for assertions. */
export interface InMemoryTracing {
  readonly exporter: InMemorySpanExporter;
  /** Spans finished so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** Forgets finished spans (between tests). */
  reset(): void;
  /** Shuts the provider down and removes the tracing globals. */
  shutdown(): Promise<void>;
}

/**
 * Installs a global tracer provider that records every span into an
 * `InMemorySpanExporter` (simple processor), plus the W3C propagator and an
 * AsyncLocalStorage context manager. Any tracing globals already installed
 * are removed first, so each test file (own Vitest worker) can call it in
 * `beforeAll` and call `shutdown()` in `afterAll`. Get tracers with
 * `trace.getTracer()` after this call: a tracer that already delegated to an
 * earlier provider keeps it.
 */
export function createInMemoryTracing(): InMemoryTracing {
  trace.disable();
  context.disable();
  propagation.disable();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const registered = registerTracingGlobals(provider);
  let stopped: Promise<void> | undefined;
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () => {
      stopped ??= provider
        .shutdown()
        .then(() => unregisterTracingGlobals(registered));
      return stopped;
    },
  };
}
