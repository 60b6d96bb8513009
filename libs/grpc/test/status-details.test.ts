import { describe, expect, it } from 'vitest';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import {
  decodeStatusDetails,
  encodeStatusDetails,
  type StatusDetails,
} from '../src/index.js';

describe('google.rpc.Status encoding', () => {
  it('round-trips code, message, ErrorInfo, BadRequest and RetryInfo', () => {
    const details: StatusDetails = {
      code: 3,
      message: 'account.name: must not be empty',
      errorInfo: {
        reason: 'VALIDATION_FAILED',
        domain: 'fieldwise',
        metadata: { resource: 'Account', attempt: '2' },
      },
      fieldViolations: [
        { field: 'account.name', description: 'must not be empty' },
        { field: '', description: 'root problem' },
      ],
      retryDelaySeconds: 1.5,
    };
    expect(decodeStatusDetails(encodeStatusDetails(details))).toEqual(details);
  });

  it('omits details that are absent', () => {
    const decoded = decodeStatusDetails(
      encodeStatusDetails({ code: 5, message: 'gone' }),
    );
    expect(decoded).toEqual({ code: 5, message: 'gone' });
  });

  it('matches the protobuf wire format field by field', () => {
    // Status{code=16, message="x"}: tag 0x08 varint 16, tag 0x12 len 1 "x".
    const bytes = encodeStatusDetails({ code: 16, message: 'x' });
    expect([...bytes]).toEqual([0x08, 0x10, 0x12, 0x01, 0x78]);
  });

  it('skips unknown detail types and unknown fields', () => {
    const foreignAny = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .string('type.googleapis.com/google.rpc.DebugInfo')
      .tag(2, WireType.LengthDelimited)
      .bytes(new Uint8Array([0x0a, 0x01, 0x61]))
      .finish();
    const bytes = new BinaryWriter()
      .tag(1, WireType.Varint)
      .int32(14)
      .tag(9, WireType.Varint)
      .int32(99)
      .tag(3, WireType.LengthDelimited)
      .bytes(foreignAny)
      .finish();
    expect(decodeStatusDetails(bytes)).toEqual({ code: 14, message: '' });
  });

  it('throws on truncated bytes', () => {
    const bytes = encodeStatusDetails({ code: 3, message: 'a long message' });
    expect(() => decodeStatusDetails(bytes.subarray(0, 5))).toThrow();
  });
});
