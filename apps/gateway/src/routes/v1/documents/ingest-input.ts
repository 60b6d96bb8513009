import { FieldwiseError, ValidationError } from '@fieldwise/errors';

/** Media types the retrieval-service ingests. */
export const INGEST_MEDIA_TYPES = [
  'text/markdown',
  'text/plain',
  'text/html',
  'application/pdf',
] as const;

const DOCUMENT_ID = /^[A-Za-z0-9._-]{1,128}$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

/**
 * The document id for an upload: the given one, else the file name without
 * its extension, with every character outside `[A-Za-z0-9._-]` replaced.
 * @throws ValidationError naming `body.id` when none can be derived.
 */
export function documentIdFor(
  id: string | undefined,
  filename: string,
): string {
  if (id !== undefined) return id;
  const base = filename.split(/[\\/]/).at(-1) ?? '';
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const derived = stem
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 128);
  if (!DOCUMENT_ID.test(derived)) {
    throw new ValidationError([
      {
        field: 'body.id',
        message: 'cannot be derived from the filename; give an id',
      },
    ]);
  }
  return derived;
}

/** The document content as the contract carries it. */
export type IngestContent =
  { $case: 'text'; value: string } | { $case: 'data'; value: Buffer };

/**
 * Decodes the upload's content and enforces the size cap on the decoded
 * bytes. PDFs must come base64-encoded.
 * @throws ValidationError naming `body.content` or `body.encoding`;
 * FieldwiseError PAYLOAD_TOO_LARGE (413) above `maxBytes`.
 */
export function decodeContent(
  upload: {
    content: string;
    encoding: 'text' | 'base64';
    contentType: string;
  },
  maxBytes: number,
): IngestContent {
  if (upload.encoding === 'text' && upload.contentType === 'application/pdf') {
    throw new ValidationError([
      { field: 'body.encoding', message: 'a PDF must be sent as base64' },
    ]);
  }
  let content: IngestContent;
  if (upload.encoding === 'base64') {
    if (!BASE64.test(upload.content)) {
      throw new ValidationError([
        { field: 'body.content', message: 'is not valid base64' },
      ]);
    }
    content = { $case: 'data', value: Buffer.from(upload.content, 'base64') };
  } else {
    content = { $case: 'text', value: upload.content };
  }
  const size =
    content.$case === 'data'
      ? content.value.byteLength
      : Buffer.byteLength(content.value, 'utf8');
  if (size > maxBytes) {
    throw new FieldwiseError(
      'PAYLOAD_TOO_LARGE',
      `body.content is ${size} bytes; the limit is ${maxBytes} bytes`,
      {
        violations: [
          { field: 'body.content', message: `larger than ${maxBytes} bytes` },
        ],
      },
    );
  }
  if (size === 0) {
    throw new ValidationError([{ field: 'body.content', message: 'is empty' }]);
  }
  return content;
}
