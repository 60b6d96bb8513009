import { splitFrontMatter } from './front-matter.js';
import type { Heading, ParsedDocument } from './parsed-document.js';

/**
 * Extracts a Markdown document: front matter becomes metadata, the body is
 * the text (kept as written, so spans point at the author's words), and
 * `#`–`###` headings outside code fences give the structure.
 */
export function parseMarkdown(source: string): ParsedDocument {
  const { metadata, body } = splitFrontMatter(source);
  const text = body.replace(/\r\n/g, '\n');
  const headings: Heading[] = [];
  let offset = 0;
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^(#{1,3})[ \t]+(.+?)[ \t#]*$/.exec(line);
    if (match) {
      headings.push({
        level: (match[1] ?? '#').length,
        text: (match[2] ?? '').trim(),
        start: offset,
        end: offset + line.length,
      });
    }
    offset += line.length + 1;
  }
  return { format: 'markdown', text, headings, hidden: [], metadata };
}
