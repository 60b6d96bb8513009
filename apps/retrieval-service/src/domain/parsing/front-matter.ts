import { DocumentRejection, type RawMetadata } from './parsed-document.js';

/** Markdown split into its front matter values and the body after it. */
export interface FrontMatterSplit {
  readonly metadata: RawMetadata;
  readonly body: string;
}

const OPENING = /^---\r?\n/;

/**
 * Splits YAML front matter (the subset the corpus uses: `key: scalar`,
 * quoted strings and flow sequences `[a, b]`) from a Markdown body. A file
 * without front matter yields empty metadata and the whole text as body.
 */
export function splitFrontMatter(source: string): FrontMatterSplit {
  const opening = OPENING.exec(source);
  if (!opening) return { metadata: {}, body: source };
  const rest = source.slice(opening[0].length);
  const closing = /^---[ \t]*(\r?\n|$)/m.exec(rest);
  if (!closing) {
    throw new DocumentRejection(['front matter is not closed by a `---` line']);
  }
  const block = rest.slice(0, closing.index);
  const body = rest.slice(closing.index + closing[0].length);
  const metadata: Record<string, unknown> = {};
  const errors: string[] = [];
  block.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!match) {
      errors.push(`front matter line ${i + 2} is not \`key: value\``);
      return;
    }
    const [, key, raw] = match as unknown as [string, string, string];
    try {
      metadata[key] = parseValue(raw);
    } catch (error) {
      errors.push(`front matter '${key}': ${(error as Error).message}`);
    }
  });
  if (errors.length > 0) throw new DocumentRejection(errors);
  return { metadata, body };
}

function parseValue(raw: string): string | string[] {
  const value = stripComment(raw).trim();
  if (value.startsWith('[')) {
    if (!value.endsWith(']')) throw new Error('unterminated list');
    const inner = value.slice(1, -1).trim();
    if (inner === '') return [];
    return splitList(inner).map((item) => parseScalar(item.trim()));
  }
  return parseScalar(value);
}

function parseScalar(value: string): string {
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2)
      throw new Error('unterminated quote');
    return JSON.parse(value) as string;
  }
  if (value.startsWith("'")) {
    if (!value.endsWith("'") || value.length < 2)
      throw new Error('unterminated quote');
    return value.slice(1, -1).replaceAll("''", "'");
  }
  return value;
}

function stripComment(raw: string): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(raw[i - 1] ?? ''))) {
      return raw.slice(0, i);
    }
  }
  return raw;
}

function splitList(inner: string): string[] {
  const items: string[] = [];
  let quote: string | null = null;
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] ?? '';
    if (quote) {
      if (ch === '\\' && quote === '"') {
        current += ch + (inner[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ',') {
      items.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  items.push(current);
  return items;
}
