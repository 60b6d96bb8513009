import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ERROR_CATALOGUE,
  FieldwiseError,
  httpStatusForGrpc,
  type ErrorCode,
  type FieldViolation,
} from '@fieldwise/errors';
import { trace } from '@opentelemetry/api';
import './tracing.js';

/** Base of every problem `type` URI the gateway emits. */
export const PROBLEM_TYPE_BASE = 'https://fieldwise.dev/problems/';

/** RFC 9457 problem details with Fieldwise's extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  traceId: string;
  errors?: FieldViolation[];
}

// Codes whose HTTP status is more specific than their gRPC mapping.
const HTTP_OVERRIDES: Partial<Record<ErrorCode, number>> = {
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  ROUTE_NOT_FOUND: 404,
  GUARDRAIL_BLOCKED: 422,
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The `code` of the problem this request was answered with, if any (for audit). */
    problemCode: string | undefined;
  }
}

// Fastify's own errors for malformed requests, mapped to catalogue codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_BAD_URL: 'MALFORMED_BODY',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

// The instance names the path only: query strings may carry user input.
function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

function kebab(code: string): string {
  return code.toLowerCase().replaceAll('_', '-');
}

function currentTraceId(): string {
  return trace.getActiveSpan()?.spanContext().traceId ?? '';
}

/** Builds the problem document for any error; 5xx details stay generic. */
export function toProblem(
  error: unknown,
  instance: string,
  traceId: string = currentTraceId(),
): Problem {
  const classified = classify(error);
  const status =
    HTTP_OVERRIDES[classified.code] ?? httpStatusForGrpc(classified.grpcStatus);
  const definition = ERROR_CATALOGUE[classified.code];
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${classified.typeSuffix ?? kebab(classified.code)}`,
    title: definition.title,
    status,
    detail: status >= 500 ? definition.description : classified.detail,
    instance,
    code: classified.code,
    traceId,
  };
  if (classified.violations.length > 0) problem.errors = classified.violations;
  return problem;
}

interface Classified {
  code: ErrorCode;
  grpcStatus: number;
  detail: string;
  violations: FieldViolation[];
  typeSuffix?: string;
}

function classify(error: unknown): Classified {
  if (error instanceof FieldwiseError) {
    return {
      code: error.code,
      grpcStatus: error.status,
      detail: error.message,
      violations: [...error.violations],
      ...(typeof error.context.problemType === 'string'
        ? { typeSuffix: error.context.problemType }
        : {}),
    };
  }
  const fastifyError = error as Partial<FastifyError> | undefined;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const violations = error.validation.map((issue) => ({
      field: [
        error.validationContext,
        ...issue.instancePath.split('/').filter(Boolean),
      ]
        .filter(Boolean)
        .join('.'),
      message: issue.message ?? 'invalid',
    }));
    return {
      code: 'VALIDATION_FAILED',
      grpcStatus: ERROR_CATALOGUE.VALIDATION_FAILED.status,
      detail: violations.map((v) => `${v.field}: ${v.message}`).join('; '),
      violations,
    };
  }
  const mapped = fastifyError?.code
    ? FASTIFY_CODES[fastifyError.code]
    : undefined;
  if (mapped) {
    return {
      code: mapped,
      grpcStatus: ERROR_CATALOGUE[mapped].status,
      detail: fastifyError?.message ?? ERROR_CATALOGUE[mapped].title,
      violations: [],
    };
  }
  if (
    typeof fastifyError?.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return {
      code: 'MALFORMED_BODY',
      grpcStatus: ERROR_CATALOGUE.MALFORMED_BODY.status,
      detail: fastifyError.message ?? 'Bad request',
      violations: [],
    };
  }
  return {
    code: 'INTERNAL',
    grpcStatus: ERROR_CATALOGUE.INTERNAL.status,
    detail: ERROR_CATALOGUE.INTERNAL.description,
    violations: [],
  };
}

/** Sends a problem+json reply, with `Retry-After` where the error says when. */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  error: unknown,
): FastifyReply {
  const problem = toProblem(
    error,
    pathOf(request.url),
    request.span?.spanContext().traceId ?? currentTraceId(),
  );
  request.problemCode = problem.code;
  if (
    error instanceof FieldwiseError &&
    error.retryAfterSeconds !== undefined
  ) {
    void reply.header(
      'retry-after',
      String(Math.ceil(error.retryAfterSeconds)),
    );
  } else if (problem.status === 503) {
    void reply.header('retry-after', '5');
  }
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send(problem);
}

/**
 * Every error and every unknown route becomes RFC 9457 problem+json with a
 * stable `code` and the trace id. 5xx bodies never echo internal messages.
 */
export const problemPlugin = fp(
  (app, _options, done) => {
    app.decorateRequest('problemCode', undefined);
    app.setErrorHandler((error, request, reply) => {
      const problem = toProblem(error, pathOf(request.url));
      if (problem.status >= 500) {
        request.log.error({ err: error }, 'request failed');
      } else {
        request.log.info(
          { code: problem.code, status: problem.status },
          'request rejected',
        );
      }
      return sendProblem(reply, request, error);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        request,
        new FieldwiseError(
          'ROUTE_NOT_FOUND',
          `No route for ${request.method} ${request.url.split('?')[0]}`,
        ),
      ),
    );
    done();
  },
  { name: 'problem' },
);
