import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/** The gRPC trailer that carries a serialized `google.rpc.Status`. */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** The `ErrorInfo.domain` of errors raised by Fieldwise services. */
export const FIELDWISE_ERROR_DOMAIN = 'fieldwise';

const TYPE_PREFIX = 'type.googleapis.com/';
const ERROR_INFO_TYPE = `${TYPE_PREFIX}google.rpc.ErrorInfo`;
const BAD_REQUEST_TYPE = `${TYPE_PREFIX}google.rpc.BadRequest`;
const RETRY_INFO_TYPE = `${TYPE_PREFIX}google.rpc.RetryInfo`;

/** `google.rpc.ErrorInfo`: why the call failed, machine-readably. */
export interface ErrorInfoDetail {
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** `google.rpc.BadRequest.FieldViolation`. */
export interface FieldViolationDetail {
  readonly field: string;
  readonly description: string;
}

/**
 * The parts of `google.rpc.Status` (status.proto) and its standard details
 * (error_details.proto) that Fieldwise sends. Unknown detail types are
 * skipped on decode.
 */
export interface StatusDetails {
  readonly code: number;
  readonly message: string;
  readonly errorInfo?: ErrorInfoDetail;
  readonly fieldViolations?: readonly FieldViolationDetail[];
  /** `google.rpc.RetryInfo.retry_delay`, in seconds. */
  readonly retryDelaySeconds?: number;
}

/** Serializes `details` as a `google.rpc.Status` message. */
export function encodeStatusDetails(details: StatusDetails): Uint8Array {
  const writer = new BinaryWriter();
  if (details.code !== 0) writer.tag(1, WireType.Varint).int32(details.code);
  if (details.message !== '') {
    writer.tag(2, WireType.LengthDelimited).string(details.message);
  }
  if (details.errorInfo) {
    writeAny(writer, ERROR_INFO_TYPE, encodeErrorInfo(details.errorInfo));
  }
  if (details.fieldViolations && details.fieldViolations.length > 0) {
    writeAny(
      writer,
      BAD_REQUEST_TYPE,
      encodeBadRequest(details.fieldViolations),
    );
  }
  if (details.retryDelaySeconds !== undefined) {
    writeAny(
      writer,
      RETRY_INFO_TYPE,
      encodeRetryInfo(details.retryDelaySeconds),
    );
  }
  return writer.finish();
}

/**
 * Parses a serialized `google.rpc.Status`.
 * @throws Error when the bytes are not a well-formed message; callers that
 * receive them from the network treat that as "no details".
 */
export function decodeStatusDetails(bytes: Uint8Array): StatusDetails {
  let code = 0;
  let message = '';
  let errorInfo: ErrorInfoDetail | undefined;
  let fieldViolations: FieldViolationDetail[] | undefined;
  let retryDelaySeconds: number | undefined;
  readFields(bytes, (field, wireType, reader) => {
    if (field === 1 && wireType === WireType.Varint) code = reader.int32();
    else if (field === 2 && wireType === WireType.LengthDelimited) {
      message = reader.string();
    } else if (field === 3 && wireType === WireType.LengthDelimited) {
      const { typeUrl, value } = decodeAny(reader.bytes());
      if (typeUrl === ERROR_INFO_TYPE) errorInfo = decodeErrorInfo(value);
      else if (typeUrl === BAD_REQUEST_TYPE) {
        fieldViolations = decodeBadRequest(value);
      } else if (typeUrl === RETRY_INFO_TYPE) {
        retryDelaySeconds = decodeRetryInfo(value);
      }
    } else return false;
    return true;
  });
  return {
    code,
    message,
    ...(errorInfo ? { errorInfo } : {}),
    ...(fieldViolations ? { fieldViolations } : {}),
    ...(retryDelaySeconds !== undefined ? { retryDelaySeconds } : {}),
  };
}

function writeAny(writer: BinaryWriter, typeUrl: string, value: Uint8Array) {
  writer
    .tag(3, WireType.LengthDelimited)
    .fork()
    .tag(1, WireType.LengthDelimited)
    .string(typeUrl)
    .tag(2, WireType.LengthDelimited)
    .bytes(value)
    .join();
}

function encodeErrorInfo(info: ErrorInfoDetail): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).string(info.reason);
  writer.tag(2, WireType.LengthDelimited).string(info.domain);
  for (const [key, value] of Object.entries(info.metadata)) {
    // map<string, string> is a repeated entry message { key = 1; value = 2; }.
    writer
      .tag(3, WireType.LengthDelimited)
      .fork()
      .tag(1, WireType.LengthDelimited)
      .string(key)
      .tag(2, WireType.LengthDelimited)
      .string(value)
      .join();
  }
  return writer.finish();
}

function encodeBadRequest(
  violations: readonly FieldViolationDetail[],
): Uint8Array {
  const writer = new BinaryWriter();
  for (const violation of violations) {
    writer
      .tag(1, WireType.LengthDelimited)
      .fork()
      .tag(1, WireType.LengthDelimited)
      .string(violation.field)
      .tag(2, WireType.LengthDelimited)
      .string(violation.description)
      .join();
  }
  return writer.finish();
}

function encodeRetryInfo(delaySeconds: number): Uint8Array {
  const safe = Math.max(0, delaySeconds);
  const seconds = Math.floor(safe);
  const nanos = Math.round((safe - seconds) * 1e9);
  const duration = new BinaryWriter();
  if (seconds !== 0) duration.tag(1, WireType.Varint).int64(seconds);
  if (nanos !== 0) duration.tag(2, WireType.Varint).int32(nanos);
  return new BinaryWriter()
    .tag(1, WireType.LengthDelimited)
    .bytes(duration.finish())
    .finish();
}

function decodeAny(bytes: Uint8Array): { typeUrl: string; value: Uint8Array } {
  let typeUrl = '';
  let value: Uint8Array = new Uint8Array(0);
  readFields(bytes, (field, wireType, reader) => {
    if (wireType !== WireType.LengthDelimited) return false;
    if (field === 1) typeUrl = reader.string();
    else if (field === 2) value = reader.bytes();
    else return false;
    return true;
  });
  return { typeUrl, value };
}

function decodeErrorInfo(bytes: Uint8Array): ErrorInfoDetail {
  let reason = '';
  let domain = '';
  const metadata: Record<string, string> = {};
  readFields(bytes, (field, wireType, reader) => {
    if (wireType !== WireType.LengthDelimited) return false;
    if (field === 1) reason = reader.string();
    else if (field === 2) domain = reader.string();
    else if (field === 3) {
      const [key, value] = decodeStringPair(reader.bytes());
      metadata[key] = value;
    } else return false;
    return true;
  });
  return { reason, domain, metadata };
}

function decodeBadRequest(bytes: Uint8Array): FieldViolationDetail[] {
  const violations: FieldViolationDetail[] = [];
  readFields(bytes, (field, wireType, reader) => {
    if (field !== 1 || wireType !== WireType.LengthDelimited) return false;
    const [fieldName, description] = decodeStringPair(reader.bytes());
    violations.push({ field: fieldName, description });
    return true;
  });
  return violations;
}

function decodeRetryInfo(bytes: Uint8Array): number {
  let delay = 0;
  readFields(bytes, (field, wireType, reader) => {
    if (field !== 1 || wireType !== WireType.LengthDelimited) return false;
    let seconds = 0;
    let nanos = 0;
    readFields(reader.bytes(), (f, w, duration) => {
      if (w !== WireType.Varint) return false;
      if (f === 1) seconds = Number(duration.int64());
      else if (f === 2) nanos = duration.int32();
      else return false;
      return true;
    });
    delay = seconds + nanos / 1e9;
    return true;
  });
  return delay;
}

/** Reads fields 1 and 2 of a message as strings (map entries, FieldViolation). */
function decodeStringPair(bytes: Uint8Array): [string, string] {
  let first = '';
  let second = '';
  readFields(bytes, (field, wireType, reader) => {
    if (wireType !== WireType.LengthDelimited) return false;
    if (field === 1) first = reader.string();
    else if (field === 2) second = reader.string();
    else return false;
    return true;
  });
  return [first, second];
}

/**
 * Walks the fields of one message. `read` consumes the value of a field it
 * knows and returns true; anything else is skipped, as protobuf requires.
 */
function readFields(
  bytes: Uint8Array,
  read: (field: number, wireType: WireType, reader: BinaryReader) => boolean,
): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (!read(field, wireType, reader)) reader.skip(wireType, field);
  }
}
