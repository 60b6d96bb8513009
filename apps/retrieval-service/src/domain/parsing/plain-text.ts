import type { ParsedDocument } from './parsed-document.js';

/**
 * Extracts a plain-text document. Plain text has no embedded metadata (it
 * comes from a sidecar or the caller) and no headings: chunks follow
 * paragraphs.
 */
export function parsePlainText(source: string): ParsedDocument {
  return {
    format: 'text',
    text: source.replace(/\r\n/g, '\n'),
    headings: [],
    hidden: [],
    metadata: {},
  };
}
