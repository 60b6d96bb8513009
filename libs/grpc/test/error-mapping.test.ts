import { describe, expect, it } from 'vitest';
import { Metadata, status as Status } from '@grpc/grpc-js';
import {
  FieldwiseError,
  GrpcStatus,
  PermissionDeniedError,
  ValidationError,
} from '@fieldwise/errors';
import {
  decodeStatusDetails,
  fromGrpcError,
  GrpcCallError,
  STATUS_DETAILS_KEY,
  toGrpcStatus,
  toServiceError,
} from '../src/index.js';

function detailsOf(metadata: Metadata | null | undefined) {
  const [raw] = metadata?.get(STATUS_DETAILS_KEY) ?? [];
  expect(raw).toBeInstanceOf(Buffer);
  return decodeStatusDetails(raw as Buffer);
}

describe('toGrpcStatus', () => {
  it('keeps the status, message and reason of a FieldwiseError', () => {
    const status = toGrpcStatus(
      new PermissionDeniedError('Not your territory', { territory: 'apac' }),
    );
    expect(status.code).toBe(Status.PERMISSION_DENIED);
    expect(status.details).toBe('Not your territory');
    expect(detailsOf(status.metadata)).toEqual({
      code: Status.PERMISSION_DENIED,
      message: 'Not your territory',
      errorInfo: {
        reason: 'PERMISSION_DENIED',
        domain: 'fieldwise',
        metadata: { territory: 'apac' },
      },
    });
  });

  it('makes anything else a generic INTERNAL', () => {
    const status = toGrpcStatus(new TypeError('x is undefined at db.ts:42'));
    expect(status.code).toBe(Status.INTERNAL);
    expect(status.details).toBe('Internal error');
    expect(detailsOf(status.metadata).errorInfo?.reason).toBe('INTERNAL');
    expect(toGrpcStatus('a thrown string').code).toBe(Status.INTERNAL);
  });

  it('builds a ServiceError grpc-js accepts', () => {
    const error = toServiceError(
      new ValidationError([{ field: 'q', message: 'required' }]),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    expect(detailsOf(error.metadata).fieldViolations).toEqual([
      { field: 'q', description: 'required' },
    ]);
  });
});

describe('fromGrpcError', () => {
  it('inverts toGrpcStatus', () => {
    const original = new FieldwiseError('RATE_LIMITED', 'Budget reached', {
      context: { limit: 100, window: 'minute' },
      retryAfterSeconds: 30,
    });
    const decoded = fromGrpcError(toGrpcStatus(original), '/pkg.S/M');
    expect(decoded).toBeInstanceOf(GrpcCallError);
    expect(decoded).toMatchObject({
      code: 'RATE_LIMITED',
      status: GrpcStatus.RESOURCE_EXHAUSTED,
      grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED,
      message: 'Budget reached',
      context: { limit: '100', window: 'minute' },
      retryAfterSeconds: 30,
      method: '/pkg.S/M',
    });
  });

  it('maps a status without Fieldwise details by its code', () => {
    const foreign = {
      code: Status.UNAVAILABLE,
      details: 'No connection established',
      metadata: new Metadata(),
    };
    expect(fromGrpcError(foreign)).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      grpcStatus: Status.UNAVAILABLE,
    });
    expect(fromGrpcError({ code: Status.ABORTED }).code).toBe('CONFLICT');
    expect(fromGrpcError({ code: Status.DATA_LOSS }).code).toBe('INTERNAL');
  });

  it('ignores reasons from another domain and malformed details', () => {
    const otherDomain = toGrpcStatus(new FieldwiseError('NOT_FOUND'));
    const bytes = otherDomain.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer;
    const patched = new Metadata();
    patched.set(
      STATUS_DETAILS_KEY,
      Buffer.from(
        bytes.toString('latin1').replace('fieldwise', 'elsewhere'),
        'latin1',
      ),
    );
    expect(
      fromGrpcError({ code: Status.NOT_FOUND, metadata: patched }).code,
    ).toBe('NOT_FOUND');

    const garbage = new Metadata();
    garbage.set(STATUS_DETAILS_KEY, Buffer.from([0x0a, 0xff]));
    expect(
      fromGrpcError({
        code: Status.PERMISSION_DENIED,
        details: 'no',
        metadata: garbage,
      }),
    ).toMatchObject({ code: 'PERMISSION_DENIED', message: 'no' });
  });

  it('passes FieldwiseErrors through and wraps anything else as INTERNAL', () => {
    const known = new FieldwiseError('CONFLICT');
    expect(fromGrpcError(known)).toBe(known);
    expect(fromGrpcError(new Error('boom')).code).toBe('INTERNAL');
  });
});
