import { validateMetadata } from '../metadata.js';
import type { DocumentMetadata, SourceFormat } from '../model.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import {
  DocumentRejection,
  type ParsedDocument,
  type RawMetadata,
} from './parsed-document.js';
import { parsePdf } from './pdf.js';
import { parsePlainText } from './plain-text.js';

/** One file offered for ingestion. */
export interface SourceDocument {
  /** File name with extension; the name without extension is the document id. */
  readonly name: string;
  readonly content: Uint8Array;
  /** Metadata from a sidecar or the caller; wins over metadata embedded in the file. */
  readonly metadata?: RawMetadata;
}

/** A source that passed validation: its metadata and extracted structure. */
export interface ValidDocument {
  readonly metadata: DocumentMetadata;
  readonly parsed: ParsedDocument;
}

/** Default upper bound on one source file (bytes). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const EXTENSIONS: Readonly<Record<string, SourceFormat>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.txt': 'text',
};

/** The document id a file name stands for (its name without extension). */
export function documentIdOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The format a file name implies, or undefined when ingestion does not support it. */
export function formatOf(name: string): SourceFormat | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[name.slice(dot).toLowerCase()];
}

/**
 * Validates and extracts one source file. Throws {@link DocumentRejection}
 * with every reason when the file is empty, too large, binary junk, of an
 * unsupported format, a broken PDF, or has invalid metadata.
 */
export function parseSourceDocument(
  source: SourceDocument,
  maxBytes: number = DEFAULT_MAX_DOCUMENT_BYTES,
): ValidDocument {
  const size = source.content.byteLength;
  if (size > maxBytes) {
    throw new DocumentRejection([
      `file is ${size} bytes; the limit is ${maxBytes} bytes`,
    ]);
  }
  if (size === 0) throw new DocumentRejection(['file is empty']);
  const format = formatOf(source.name);
  if (!format)
    throw new DocumentRejection([`unsupported file type '${source.name}'`]);
  const parsed =
    format === 'pdf'
      ? parsePdf(source.content)
      : parseText(format, source.content);
  if (parsed.text.trim() === '')
    throw new DocumentRejection(['document has no text']);
  const result = validateMetadata(
    { ...parsed.metadata, ...source.metadata },
    documentIdOf(source.name),
  );
  if (!result.ok) throw new DocumentRejection(result.reasons);
  return { metadata: result.metadata, parsed };
}

function parseText(
  format: Exclude<SourceFormat, 'pdf'>,
  content: Uint8Array,
): ParsedDocument {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new DocumentRejection([
      'file is not valid UTF-8 text (binary content?)',
    ]);
  }
  if (text.trim() === '') throw new DocumentRejection(['file is empty']);
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 9 || (code > 13 && code < 32) || code === 127) controls++;
  }
  if (controls > 0 && controls / text.length > 0.001) {
    throw new DocumentRejection([
      `file looks binary: ${controls} control characters`,
    ]);
  }
  switch (format) {
    case 'markdown':
      return parseMarkdown(text.replace(/^\uFEFF/, ''));
    case 'html':
      return parseHtml(text);
    case 'text':
      return parsePlainText(text.replace(/^\uFEFF/, ''));
  }
}
