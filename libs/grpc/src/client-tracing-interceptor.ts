import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { propagation } from '@opentelemetry/api';
import { metadataSetter } from './metadata-carrier.js';
import { endRpcSpan, startClientSpan } from './rpc-tracing.js';

/**
 * A grpc-js client interceptor that starts a CLIENT span for each call
 * attempt under the caller's active OpenTelemetry context, injects its W3C
 * `traceparent`/`tracestate` into the request metadata, and ends the span
 * with `rpc.grpc.status_code` when the status arrives. Works through
 * @opentelemetry/api alone: it is a no-op until an SDK registers a tracer
 * provider and propagator.
 */
export function createClientTracingInterceptor(): Interceptor {
  return (options, nextCall) => {
    const path = options.method_definition.path;
    const { span, spanContext } = startClientSpan(path);
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        propagation.inject(spanContext, metadata, metadataSetter);
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            endRpcSpan(span, 'client', status.code, status.details);
            nextStatus(status);
          },
        });
      },
    });
  };
}
