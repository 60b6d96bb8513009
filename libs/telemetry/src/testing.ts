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

/** One sample of a Prometheus text exposition. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses a Prometheus text exposition (as served on `/metrics`) into its
 * samples, so tests assert on names, labels and values whatever the label order.
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(LABEL_PAIR)) {
      labels[pair[1]!] = pair[2]!
        .replaceAll('\\n', '\n')
        .replaceAll('\\"', '"')
        .replaceAll('\\\\', '\\');
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/**
 * The value of the sample named `name` whose labels include `labels`
 * (summed when several match); undefined when none does.
 */
export function sampleValue(
  samples: readonly PrometheusSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const matching = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(
        ([key, value]) => sample.labels[key] === value,
      ),
  );
  if (matching.length === 0) return undefined;
  return matching.reduce((sum, sample) => sum + sample.value, 0);
}
