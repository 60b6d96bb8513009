import type { Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import {
  defaultResource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import {
  registerTracingGlobals,
  unregisterTracingGlobals,
  type RegisteredGlobals,
} from './tracing-globals.js';

/** Where finished spans go. */
export type TelemetryExporterKind = 'otlp' | 'custom' | 'none';

/** Options of {@link startTelemetry}. */
export interface TelemetryOptions {
  /** `service.name` on every span. */
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /**
   * OTLP/HTTP base URL (`http://collector:4318`); spans are posted to
   * `<url>/v1/traces` unless the URL already ends with that path.
   */
  readonly otlpEndpoint?: string;
  /** Exports through this exporter with a simple processor (tests); wins over `otlpEndpoint`. */
  readonly spanExporter?: SpanExporter;
  /** Receives warnings about bad telemetry settings; nothing is printed otherwise. */
  readonly logger?: Logger;
  /**
   * Also patch `http` and `@grpc/grpc-js` through require hooks (OTLP mode
   * only; off by default). Our own spans are created explicitly, and under
   * ESM the hooks only see modules loaded through `require`.
   */
  readonly instrumentations?: boolean;
  /** Extra resource attributes (deployment environment, k8s pod, …). */
  readonly resourceAttributes?: Attributes;
}

/** A started telemetry setup. */
export interface Telemetry {
  /** True when spans are recorded and exported. */
  readonly enabled: boolean;
  readonly exporter: TelemetryExporterKind;
  /**
   * Flushes pending spans, stops instrumentations and removes the globals
   * this call installed. Idempotent; never rejects (problems are logged).
   */
  shutdown(): Promise<void>;
}

/** Any instrumentation we may enable; both share this lifecycle. */
type Instrumentation = HttpInstrumentation | GrpcInstrumentation;

interface Pipeline {
  readonly exporter: TelemetryExporterKind;
  readonly processors: SpanProcessor[];
}

/**
 * Joins the OTLP base URL and the traces path the way the OTLP exporter
 * specification does for `OTEL_EXPORTER_OTLP_ENDPOINT`. Returns `undefined`
 * for anything but an absolute http(s) URL.
 */
export function otlpTracesUrl(endpoint: string): string | undefined {
  const trimmed = endpoint.trim();
  if (!URL.canParse(trimmed)) return undefined;
  const url = new URL(trimmed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname.replace(/\/+$/, '').endsWith('/v1/traces')) return url.href;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.href;
}

function choosePipeline(options: TelemetryOptions): Pipeline {
  if (options.spanExporter) {
    return {
      exporter: 'custom',
      processors: [new SimpleSpanProcessor(options.spanExporter)],
    };
  }
  if (
    options.otlpEndpoint === undefined ||
    options.otlpEndpoint.trim() === ''
  ) {
    return { exporter: 'none', processors: [] };
  }
  const tracesUrl = otlpTracesUrl(options.otlpEndpoint);
  if (tracesUrl === undefined) {
    options.logger?.warn(
      { setting: 'otlpEndpoint' },
      'OTLP endpoint is not an absolute http(s) URL; trace export is disabled',
    );
    return { exporter: 'none', processors: [] };
  }
  try {
    const exporter = new OTLPTraceExporter({ url: tracesUrl });
    return { exporter: 'otlp', processors: [new BatchSpanProcessor(exporter)] };
  } catch (error) {
    options.logger?.warn(
      { err: error, setting: 'otlpEndpoint' },
      'OTLP trace exporter could not be created; trace export is disabled',
    );
    return { exporter: 'none', processors: [] };
  }
}

function startInstrumentations(
  provider: BasicTracerProvider,
): Instrumentation[] {
  const instrumentations: Instrumentation[] = [
    new HttpInstrumentation({ enabled: false }),
    new GrpcInstrumentation({ enabled: false }),
  ];
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    instrumentation.enable();
  }
  return instrumentations;
}

/**
 * Sets up tracing for a service and returns how it ended up.
 *
 * - `spanExporter` given: every span goes to it through a simple processor.
 * - `otlpEndpoint` valid: spans are batched to the OTLP/HTTP collector.
 * - otherwise (no endpoint, or an invalid one, which is logged as a
 *   warning): nothing is recorded or exported, but spans still get real
 *   trace and span ids (an always-off sampler), so incoming `traceparent`
 *   headers propagate, logs carry trace ids and errors can quote one.
 *
 * In every mode the W3C trace-context and baggage propagator and an
 * AsyncLocalStorage context manager are installed. It never throws on a bad
 * setting; if tracing globals are already installed (a second start), it
 * warns and leaves the existing ones in place.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const pipeline = choosePipeline(options);
  const resource = defaultResource().merge(
    resourceFromAttributes({
      ...options.resourceAttributes,
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion === undefined
        ? {}
        : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    }),
  );
  const recording = pipeline.exporter !== 'none';
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: pipeline.processors,
    // Without an exporter, ids without recording: spans cost almost nothing.
    ...(recording ? {} : { sampler: new AlwaysOffSampler() }),
  });

  const registered: RegisteredGlobals = registerTracingGlobals(provider);
  if (!registered.tracerProvider) {
    options.logger?.warn(
      'a tracer provider is already registered; this telemetry setup is not used',
    );
  }
  const active = registered.tracerProvider;
  const instrumentations =
    active && pipeline.exporter === 'otlp' && options.instrumentations === true
      ? startInstrumentations(provider)
      : [];

  let stopped: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopped ??= (async () => {
      for (const instrumentation of instrumentations) instrumentation.disable();
      try {
        await provider.shutdown();
      } catch (error) {
        options.logger?.warn(
          { err: error },
          'telemetry shutdown failed; some spans may be lost',
        );
      }
      unregisterTracingGlobals(registered);
    })();
    return stopped;
  };

  return {
    enabled: active && recording,
    exporter: active ? pipeline.exporter : 'none',
    shutdown,
  };
}
