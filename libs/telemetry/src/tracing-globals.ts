import {
  context,
  propagation,
  trace,
  type TextMapPropagator,
  type TracerProvider,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

/** What {@link registerTracingGlobals} managed to register. */
export interface RegisteredGlobals {
  /** False when another tracer provider was already global. */
  readonly tracerProvider: boolean;
  readonly contextManager: boolean;
  readonly propagator: boolean;
}

/** W3C `traceparent`/`tracestate` plus W3C `baggage`, the OpenTelemetry default. */
export function w3cPropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

/**
 * Installs the process-wide tracing globals: the tracer provider, an
 * AsyncLocalStorage context manager (so the active span follows `await`) and
 * the W3C propagator. The API refuses to replace a registered global; each
 * flag says whether this call won.
 */
export function registerTracingGlobals(
  provider: TracerProvider,
): RegisteredGlobals {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const contextRegistered = context.setGlobalContextManager(contextManager);
  if (!contextRegistered) contextManager.disable();
  return {
    tracerProvider: trace.setGlobalTracerProvider(provider),
    contextManager: contextRegistered,
    propagator: propagation.setGlobalPropagator(w3cPropagator()),
  };
}

/** Removes the globals that `registered` says this process installed. */
export function unregisterTracingGlobals(registered: RegisteredGlobals): void {
  if (registered.tracerProvider) trace.disable();
  if (registered.contextManager) context.disable();
  if (registered.propagator) propagation.disable();
}
