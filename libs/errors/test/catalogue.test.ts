import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CATALOGUE,
  FieldwiseError,
  GrpcStatus,
  NotFoundError,
  ValidationError,
  httpStatusForGrpc,
  toFieldwiseError,
} from '../src/index.js';

describe('error catalogue', () => {
  const doc = readFileSync(
    join(import.meta.dirname, '..', 'ERRORS.md'),
    'utf8',
  );

  it.each(Object.keys(ERROR_CATALOGUE))('documents %s in ERRORS.md', (code) => {
    expect(doc).toContain(`\`${code}\``);
  });

  it('uses upper snake case codes', () => {
    for (const code of Object.keys(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });
});

describe('FieldwiseError', () => {
  it('takes its name from the subclass and its status from the catalogue', () => {
    const error = new NotFoundError('account', 'acc-1');
    expect(error.name).toBe('NotFoundError');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.status).toBe(GrpcStatus.NOT_FOUND);
    expect(error.context).toEqual({ resource: 'account', id: 'acc-1' });
  });

  it('names each invalid field in a validation error', () => {
    const error = new ValidationError([
      { field: 'message', message: 'Required' },
      { field: 'conversationId', message: 'Invalid uuid' },
    ]);
    expect(error.message).toBe(
      'message: Required; conversationId: Invalid uuid',
    );
    expect(error.violations).toHaveLength(2);
  });

  it('wraps unknown errors as INTERNAL and keeps known ones', () => {
    const known = new FieldwiseError('CONFLICT');
    expect(toFieldwiseError(known)).toBe(known);
    const wrapped = toFieldwiseError(new TypeError('boom'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('Internal error');
  });
});

describe('httpStatusForGrpc', () => {
  it.each([
    [GrpcStatus.INVALID_ARGUMENT, 400],
    [GrpcStatus.FAILED_PRECONDITION, 400],
    [GrpcStatus.OUT_OF_RANGE, 400],
    [GrpcStatus.UNAUTHENTICATED, 401],
    [GrpcStatus.PERMISSION_DENIED, 403],
    [GrpcStatus.NOT_FOUND, 404],
    [GrpcStatus.ALREADY_EXISTS, 409],
    [GrpcStatus.ABORTED, 409],
    [GrpcStatus.RESOURCE_EXHAUSTED, 429],
    [GrpcStatus.CANCELLED, 499],
    [GrpcStatus.UNIMPLEMENTED, 501],
    [GrpcStatus.UNAVAILABLE, 503],
    [GrpcStatus.DEADLINE_EXCEEDED, 504],
    [GrpcStatus.INTERNAL, 500],
    [GrpcStatus.DATA_LOSS, 500],
    [GrpcStatus.UNKNOWN, 500],
  ])('maps gRPC %i to HTTP %i', (grpc, http) => {
    expect(httpStatusForGrpc(grpc)).toBe(http);
  });
});
