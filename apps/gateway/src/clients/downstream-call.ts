import { context as otelContext } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import type { UnaryCaller } from '@fieldwise/grpc';
import type { DownstreamCall } from './identity-client.js';

/**
 * The per-call facts of a backend call made for `request`: a fresh
 * gateway-signed principal token for the authenticated caller and the
 * request's trace context, so the backend enforces the caller's own rights
 * and its span joins the request's trace.
 */
export async function downstreamCallOf(
  request: FastifyRequest,
): Promise<DownstreamCall> {
  return {
    principalToken: await request.principalToken(),
    context: request.otelContext ?? otelContext.active(),
  };
}

/**
 * Runs one unary call inside the request's trace context. Only reads (and
 * writes that are idempotent by contract) may pass `idempotent: true`:
 * those are retried on UNAVAILABLE within the deadline.
 */
export function callUnary<Request, Response>(
  caller: UnaryCaller<Request, Response>,
  request: Request,
  call: DownstreamCall,
  idempotent: boolean,
): Promise<Response> {
  return otelContext.with(call.context, () =>
    caller(request, { principalToken: call.principalToken, idempotent }),
  );
}
