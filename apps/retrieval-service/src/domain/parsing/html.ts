import { decodeEntities } from './html-entities.js';
import type {
  Heading,
  HiddenRange,
  ParsedDocument,
} from './parsed-document.js';

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg']);
const HEADING = /^h([1-3])$/;

interface OpenElement {
  readonly name: string;
  readonly hidden: boolean;
  readonly headingLevel: number;
  readonly headingStart: number;
}

/**
 * Extracts an HTML document. `fieldwise:*` meta tags become metadata; only
 * `<body>` is text. Scripts and styles are dropped. Comments and text hidden
 * by style (display:none, visibility:hidden, tiny fonts, text coloured like
 * its background, the `hidden` attribute) are kept in the text, because the
 * injection scanner must see them, and reported as hidden ranges.
 */
export function parseHtml(source: string): ParsedDocument {
  const metadata = readMetaTags(source);
  const bodyStart = /<body\b[^>]*>/i.exec(source);
  const html = bodyStart
    ? source.slice(bodyStart.index + bodyStart[0].length)
    : stripHead(source);
  const out = new TextBuilder();
  const headings: Heading[] = [];
  const hidden: HiddenRange[] = [];
  const stack: OpenElement[] = [];
  const isHidden = (): boolean => stack.some((element) => element.hidden);

  const token =
    /<!--([\s\S]*?)(?:-->|$)|<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<![^>]*>|<\?[^>]*>/g;
  let last = 0;
  for (let match = token.exec(html); match; match = token.exec(html)) {
    out.appendText(html.slice(last, match.index), isHidden(), hidden);
    last = token.lastIndex;
    if (match[1] !== undefined) {
      const comment = decodeEntities(match[1]).replace(/\s+/g, ' ').trim();
      if (comment) {
        out.breakBlock();
        const start = out.length;
        out.appendRaw(comment);
        hidden.push({ kind: 'html-comment', start, end: out.length });
        out.breakBlock();
      }
      continue;
    }
    const name = (match[3] ?? '').toLowerCase();
    if (!name) continue;
    const closing = match[2] === '/';
    if (closing) {
      if (name === 'body' || name === 'html') break;
      const at = findOpen(stack, name);
      if (at < 0) continue;
      while (stack.length > at) {
        const element = stack.pop() as OpenElement;
        if (element.headingLevel > 0) {
          const text = out.text.slice(element.headingStart).trim();
          if (text) {
            headings.push({
              level: element.headingLevel,
              text,
              start: element.headingStart,
              end: out.length,
            });
          }
        }
        if (BLOCK.has(element.name)) out.breakBlock();
      }
      continue;
    }
    const attrs = match[4] ?? '';
    if (RAW_TEXT.has(name)) {
      const end = new RegExp(`</${name}\\s*>`, 'ig');
      end.lastIndex = token.lastIndex;
      const found = end.exec(html);
      token.lastIndex = found ? end.lastIndex : html.length;
      last = token.lastIndex;
      continue;
    }
    if (BLOCK.has(name)) out.breakBlock();
    if (name === 'td' || name === 'th')
      out.appendRaw(out.atLineStart() ? '' : ' | ');
    if (VOID.has(name) || attrs.trimEnd().endsWith('/')) continue;
    const level = HEADING.exec(name);
    if (level) out.breakBlock();
    stack.push({
      name,
      hidden: hiddenByAttributes(attrs),
      headingLevel: level ? Number(level[1]) : 0,
      headingStart: out.length,
    });
    if (name === 'li') out.appendRaw('- ');
  }
  out.appendText(html.slice(last), isHidden(), hidden);
  const text = out.text.trimEnd();
  return {
    format: 'html',
    text,
    headings: headings.sort((a, b) => a.start - b.start),
    hidden: mergeRanges(hidden),
    metadata,
  };
}

function findOpen(stack: readonly OpenElement[], name: string): number {
  for (let i = stack.length - 1; i >= 0; i--)
    if (stack[i]?.name === name) return i;
  return -1;
}

function stripHead(source: string): string {
  return source.replace(/<head\b[\s\S]*?<\/head\s*>/i, '');
}

function readMetaTags(source: string): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const match of source.matchAll(
    /<meta\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi,
  )) {
    const attrs = parseAttributes(match[1] ?? '');
    const name = attrs.get('name') ?? '';
    if (!name.toLowerCase().startsWith('fieldwise:')) continue;
    metadata[name.slice('fieldwise:'.length)] = attrs.get('content') ?? '';
  }
  return metadata;
}

function parseAttributes(attrs: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of attrs.matchAll(
    /([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g,
  )) {
    const key = (match[1] ?? '').toLowerCase();
    map.set(key, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return map;
}

function hiddenByAttributes(attrs: string): boolean {
  const parsed = parseAttributes(attrs);
  if (parsed.has('hidden')) return true;
  const style = (parsed.get('style') ?? '').toLowerCase().replace(/\s+/g, '');
  if (!style) return false;
  if (/(^|;)display:none/.test(style) || /(^|;)visibility:hidden/.test(style))
    return true;
  if (/(^|;)opacity:0(\.0*)?(;|$)/.test(style)) return true;
  const size = /(^|;)font-size:([\d.]+)(px|pt|em|rem)?/.exec(style);
  if (
    size &&
    Number(size[2]) <= (size[3] === 'em' || size[3] === 'rem' ? 0.1 : 2)
  )
    return true;
  const color = /(^|;)color:([^;]+)/.exec(style)?.[2];
  const background = /(^|;)background(?:-color)?:([^;]+)/.exec(style)?.[2];
  if (
    color &&
    background &&
    normalizeColor(color) === normalizeColor(background)
  )
    return true;
  return false;
}

function normalizeColor(value: string): string {
  const v = value.trim();
  const named: Record<string, string> = { white: '#ffffff', black: '#000000' };
  if (named[v]) return named[v];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(v);
  if (short)
    return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  return v;
}

function mergeRanges(ranges: HiddenRange[]): HiddenRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: HiddenRange[] = [];
  for (const range of sorted) {
    const prev = merged.at(-1);
    if (prev && prev.kind === range.kind && range.start <= prev.end) {
      merged[merged.length - 1] = {
        ...prev,
        end: Math.max(prev.end, range.end),
      };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** Accumulates collapsed text with block breaks, tracking offsets. */
class TextBuilder {
  text = '';

  get length(): number {
    return this.text.length;
  }

  atLineStart(): boolean {
    return this.text === '' || this.text.endsWith('\n');
  }

  breakBlock(): void {
    this.text = this.text.replace(/[ \t]+$/, '');
    if (this.text === '' || this.text.endsWith('\n\n')) return;
    this.text += this.text.endsWith('\n') ? '\n' : '\n\n';
  }

  appendRaw(value: string): void {
    this.text += value;
  }

  appendText(raw: string, hidden: boolean, ranges: HiddenRange[]): void {
    let value = decodeEntities(raw).replace(/\s+/g, ' ');
    if (this.atLineStart() || this.text.endsWith(' '))
      value = value.trimStart();
    if (!value) return;
    const start = this.text.length;
    this.text += value;
    if (hidden && value.trim())
      ranges.push({ kind: 'hidden-style', start, end: this.text.length });
  }
}
