import { inflateSync } from 'node:zlib';
import {
  DocumentRejection,
  type Heading,
  type ParsedDocument,
} from './parsed-document.js';

/**
 * A deliberately small PDF text extractor for simple, text-based PDFs (the
 * ones our collateral generator and common office exporters write): it reads
 * indirect objects, inflates FlateDecode streams with node:zlib, and runs the
 * text operators (Tf, Td/TD/Tm/T*, Tj, TJ, ', ") of each page's content.
 * Bold fonts mark headings; larger bold text is a higher level. Anything it
 * cannot read (no header, truncated file, unknown stream filter, no text)
 * is rejected with a reason rather than guessed at.
 */
export function parsePdf(bytes: Uint8Array): ParsedDocument {
  const source = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    bytes.byteLength,
  ).toString('latin1');
  if (!source.startsWith('%PDF-'))
    throw new DocumentRejection(['not a PDF: missing %PDF- header']);
  if (!/%%EOF\s*$/.test(source.slice(-1024))) {
    throw new DocumentRejection(['broken PDF: truncated (no %%EOF trailer)']);
  }
  const objects = readObjects(source);
  if (objects.size === 0)
    throw new DocumentRejection(['broken PDF: no objects found']);

  const fonts = new Map<string, string>();
  for (const object of objects.values()) {
    const base = /\/Type\s*\/Font\b[\s\S]*?\/BaseFont\s*\/([\w+-]+)/.exec(
      object.dict,
    );
    if (base) fonts.set(object.ref, base[1] ?? '');
  }
  const lines: TextLine[] = [];
  for (const page of pageOrder(objects)) {
    const resourceFonts = fontResources(page.dict, objects, fonts);
    for (const ref of contentRefs(page.dict)) {
      const stream = objects.get(ref);
      if (!stream || stream.stream === undefined) continue;
      runContent(decodeStream(stream), resourceFonts, lines);
    }
  }
  return assemble(lines, infoMetadata(source));
}

interface PdfObject {
  readonly ref: string;
  readonly dict: string;
  readonly stream?: string;
}

interface TextLine {
  text: string;
  bold: boolean;
  size: number;
}

function readObjects(source: string): Map<string, PdfObject> {
  const objects = new Map<string, PdfObject>();
  const pattern = /(\d+)\s+(\d+)\s+obj\b/g;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const ref = `${match[1]} ${match[2]}`;
    const start = pattern.lastIndex;
    const end = source.indexOf('endobj', start);
    if (end < 0)
      throw new DocumentRejection([`broken PDF: object ${ref} has no endobj`]);
    const body = source.slice(start, end);
    const streamAt = /\bstream\r?\n/.exec(body);
    if (!streamAt) {
      objects.set(ref, { ref, dict: body });
    } else {
      const dict = body.slice(0, streamAt.index);
      const dataStart = streamAt.index + streamAt[0].length;
      const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
      let data: string;
      if (length && dataStart + Number(length[1]) <= body.length) {
        data = body.slice(dataStart, dataStart + Number(length[1]));
      } else {
        const endStream = body.lastIndexOf('endstream');
        if (endStream < 0)
          throw new DocumentRejection([
            `broken PDF: stream ${ref} has no endstream`,
          ]);
        data = body.slice(dataStart, endStream).replace(/\r?\n$/, '');
      }
      objects.set(ref, { ref, dict, stream: data });
    }
    pattern.lastIndex = end + 'endobj'.length;
  }
  return objects;
}

function pageOrder(objects: Map<string, PdfObject>): PdfObject[] {
  const catalog = [...objects.values()].find((o) =>
    /\/Type\s*\/Catalog\b/.test(o.dict),
  );
  const root = catalog && /\/Pages\s+(\d+\s+\d+)\s+R/.exec(catalog.dict)?.[1];
  const pages: PdfObject[] = [];
  const visit = (ref: string, depth: number): void => {
    const node = objects.get(ref);
    if (!node || depth > 32) return;
    if (/\/Type\s*\/Pages\b/.test(node.dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node.dict)?.[1] ?? '';
      for (const kid of kids.matchAll(/(\d+\s+\d+)\s+R/g))
        visit(kid[1] ?? '', depth + 1);
    } else if (/\/Type\s*\/Page\b/.test(node.dict)) {
      pages.push(node);
    }
  };
  if (root) visit(root, 0);
  if (pages.length > 0) return pages;
  return [...objects.values()].filter((o) => /\/Type\s*\/Page\b/.test(o.dict));
}

function fontResources(
  pageDict: string,
  objects: Map<string, PdfObject>,
  fonts: Map<string, string>,
): Map<string, string> {
  let resources = pageDict;
  const resourceRef = /\/Resources\s+(\d+\s+\d+)\s+R/.exec(pageDict)?.[1];
  if (resourceRef) resources = objects.get(resourceRef)?.dict ?? '';
  let fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1];
  const fontRef = /\/Font\s+(\d+\s+\d+)\s+R/.exec(resources)?.[1];
  if (fontDict === undefined && fontRef)
    fontDict = objects.get(fontRef)?.dict ?? '';
  const map = new Map<string, string>();
  for (const entry of (fontDict ?? '').matchAll(
    /\/([\w.+-]+)\s+(\d+\s+\d+)\s+R/g,
  )) {
    map.set(entry[1] ?? '', fonts.get(entry[2] ?? '') ?? '');
  }
  return map;
}

function contentRefs(pageDict: string): string[] {
  const array = /\/Contents\s*\[([^\]]*)\]/.exec(pageDict)?.[1];
  if (array !== undefined)
    return [...array.matchAll(/(\d+\s+\d+)\s+R/g)].map((m) => m[1] ?? '');
  const single = /\/Contents\s+(\d+\s+\d+)\s+R/.exec(pageDict)?.[1];
  return single ? [single] : [];
}

function decodeStream(object: PdfObject): string {
  const filters = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(object.dict)?.[1] ?? '';
  const names = [...filters.matchAll(/\/(\w+)/g)].map((m) => m[1]);
  let data = Buffer.from(object.stream ?? '', 'latin1');
  for (const name of names) {
    if (name !== 'FlateDecode') {
      throw new DocumentRejection([
        `unsupported PDF stream filter /${name} in object ${object.ref}`,
      ]);
    }
    try {
      data = inflateSync(data);
    } catch {
      throw new DocumentRejection([
        `broken PDF: stream ${object.ref} does not inflate`,
      ]);
    }
  }
  return data.toString('latin1');
}

type Operand = string | number | Operand[] | { name: string };

function runContent(
  content: string,
  fonts: Map<string, string>,
  lines: TextLine[],
): void {
  let bold = false;
  let size = 0;
  let lineY: number | null = null;
  let y = 0;
  let current: TextLine | null = null;
  const operands: Operand[] = [];
  const newLine = (): void => {
    current = null;
  };
  const show = (text: string): void => {
    if (!current || current.bold !== bold || current.size !== size) {
      current = { text: '', bold, size };
      lines.push(current);
    }
    current.text += text;
  };
  for (const token of tokenize(content)) {
    if (token.kind === 'operand') {
      operands.push(token.value);
      continue;
    }
    const op = token.value;
    switch (op) {
      case 'BT':
        y = 0;
        lineY = null;
        newLine();
        break;
      case 'Tf': {
        const name = operands[0];
        const base =
          typeof name === 'object' && !Array.isArray(name)
            ? (fonts.get(name.name) ?? '')
            : '';
        bold = /bold|black|heavy/i.test(base);
        size = typeof operands[1] === 'number' ? operands[1] : size;
        break;
      }
      case 'Td':
      case 'TD':
        y += typeof operands[1] === 'number' ? operands[1] : 0;
        if (operands[1] !== 0) newLine();
        break;
      case 'Tm':
        y = typeof operands[5] === 'number' ? operands[5] : y;
        if (lineY !== y) newLine();
        break;
      case 'T*':
        newLine();
        break;
      case 'Tj':
        if (typeof operands[0] === 'string') show(operands[0]);
        break;
      case "'":
      case '"':
        newLine();
        if (typeof operands.at(-1) === 'string')
          show(operands.at(-1) as string);
        break;
      case 'TJ':
        if (Array.isArray(operands[0])) {
          show(
            operands[0]
              .map((part) =>
                typeof part === 'string'
                  ? part
                  : typeof part === 'number' && part < -200
                    ? ' '
                    : '',
              )
              .join(''),
          );
        }
        break;
      case 'ET':
        newLine();
        break;
      default:
        break;
    }
    lineY = y;
    operands.length = 0;
  }
}

type Token =
  { kind: 'operand'; value: Operand } | { kind: 'operator'; value: string };

function* tokenize(content: string): Generator<Token> {
  let i = 0;
  const stack: Operand[][] = [];
  const emit = (value: Operand): Token | null => {
    const top = stack.at(-1);
    if (top) {
      top.push(value);
      return null;
    }
    return { kind: 'operand', value };
  };
  while (i < content.length) {
    const ch = content[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '%') {
      while (i < content.length && content[i] !== '\n' && content[i] !== '\r')
        i++;
    } else if (ch === '(') {
      const [text, next] = readLiteral(content, i);
      i = next;
      const token = emit(text);
      if (token) yield token;
    } else if (ch === '<' && content[i + 1] !== '<') {
      const end = content.indexOf('>', i);
      const hex = content
        .slice(i + 1, end < 0 ? content.length : end)
        .replace(/\s+/g, '');
      i = end < 0 ? content.length : end + 1;
      const padded = hex.length % 2 ? `${hex}0` : hex;
      const token = emit(
        decodeWinAnsi(Buffer.from(padded, 'hex').toString('latin1')),
      );
      if (token) yield token;
    } else if (ch === '[') {
      stack.push([]);
      i++;
    } else if (ch === ']') {
      const array = stack.pop() ?? [];
      i++;
      const token = emit(array);
      if (token) yield token;
    } else if (ch === '<' || ch === '>') {
      i += 2; // dictionary delimiters inside content (inline images, marked content)
    } else if (ch === '/') {
      const match = /^\/[^\s/[\]()<>{}%]*/.exec(content.slice(i, i + 128));
      const name = (match?.[0] ?? '/').slice(1);
      i += (match?.[0] ?? '/').length;
      const token = emit({ name });
      if (token) yield token;
    } else {
      const match = /^[^\s/[\]()<>{}%]+/.exec(content.slice(i, i + 64));
      const word = match?.[0] ?? ch;
      i += word.length;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
        const token = emit(Number(word));
        if (token) yield token;
      } else if (stack.length === 0) {
        yield { kind: 'operator', value: word };
      }
    }
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '(': '(',
  ')': ')',
  '\\': '\\',
};

function readLiteral(content: string, start: number): [string, number] {
  let depth = 0;
  let out = '';
  let i = start;
  for (; i < content.length; i++) {
    const ch = content[i] ?? '';
    if (ch === '\\') {
      const next = content[i + 1] ?? '';
      if (/[0-7]/.test(next)) {
        const octal =
          /^[0-7]{1,3}/.exec(content.slice(i + 1, i + 4))?.[0] ?? '0';
        out += String.fromCharCode(parseInt(octal, 8) & 0xff);
        i += octal.length;
      } else if (next === '\n' || next === '\r') {
        i += next === '\r' && content[i + 2] === '\n' ? 2 : 1;
      } else {
        out += ESCAPES[next] ?? next;
        i++;
      }
      continue;
    }
    if (ch === '(') {
      depth++;
      if (depth === 1) continue;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) return [decodeWinAnsi(out), i + 1];
    }
    out += ch;
  }
  throw new DocumentRejection([
    'broken PDF: unterminated string in page content',
  ]);
}

const WIN_ANSI: Readonly<Record<number, string>> = {
  0x80: '€',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x99: '™',
};

function decodeWinAnsi(latin1: string): string {
  let out = '';
  for (const ch of latin1) out += WIN_ANSI[ch.charCodeAt(0)] ?? ch;
  return out;
}

function infoMetadata(source: string): Record<string, unknown> {
  const info = /\/Title\s*\(((?:\\.|[^\\)])*)\)/.exec(source);
  return info
    ? { title: decodeWinAnsi(info[1]?.replace(/\\(.)/g, '$1') ?? '') }
    : {};
}

function assemble(
  lines: readonly TextLine[],
  metadata: Record<string, unknown>,
): ParsedDocument {
  const cleaned = lines
    .map((line) => ({ ...line, text: line.text.replace(/\s+$/, '') }))
    .filter((line) => line.text.trim() !== '');
  if (cleaned.length === 0) {
    throw new DocumentRejection([
      'PDF has no extractable text (scanned image or empty pages)',
    ]);
  }
  const boldSizes = [
    ...new Set(cleaned.filter((l) => l.bold).map((l) => l.size)),
  ].sort((a, b) => b - a);
  let text = '';
  const headings: Heading[] = [];
  let previous: TextLine | null = null;
  for (const line of cleaned) {
    const continuesHeading =
      previous?.bold === true &&
      line.bold &&
      previous.size === line.size &&
      headings.length > 0;
    if (continuesHeading) {
      const heading = headings[headings.length - 1] as Heading;
      text += ` ${line.text.trim()}`;
      headings[headings.length - 1] = {
        ...heading,
        text: `${heading.text} ${line.text.trim()}`,
        end: text.length,
      };
    } else if (line.bold) {
      if (text) text += '\n\n';
      const start = text.length;
      text += line.text.trim();
      const level = Math.min(3, boldSizes.indexOf(line.size) + 1);
      headings.push({ level, text: line.text.trim(), start, end: text.length });
    } else {
      if (text) text += previous?.bold ? '\n\n' : '\n';
      text += line.text;
    }
    previous = line;
  }
  return { format: 'pdf', text, headings, hidden: [], metadata };
}
