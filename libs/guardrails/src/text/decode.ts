import type { Span } from '../types.js';

/** A segment of the original text that decoded to readable text. */
export interface DecodedSegment {
  readonly encoding: 'base64' | 'hex';
  readonly span: Span;
  readonly text: string;
}

// Lookbehinds make each run of candidate characters start a match once, so
// scanning stays linear even on 100 KB of base64 alphabet.
const BASE64 = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX = /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Fa-f])/g;
const SPACED_HEX =
  /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[ :]){7,}[0-9A-Fa-f]{2}(?![0-9A-Fa-f])/g;

/** Readable means valid UTF-8 with mostly letters and spaces, not binary. */
function readable(buf: Buffer): string | undefined {
  if (buf.length < 6) return undefined;
  const text = buf.toString('utf8');
  if (text.includes('\ufffd')) return undefined;
  let letters = 0;
  let controls = 0;
  for (const ch of text) {
    if (/[\p{L}\s]/u.test(ch)) letters++;
    else if (/[\p{Cc}]/u.test(ch) && ch !== '\n' && ch !== '\t' && ch !== '\r')
      controls++;
  }
  const n = [...text].length;
  if (controls > 0 || letters / n < 0.6 || !/\s/.test(text)) return undefined;
  return text;
}

// Character classes of ASCII codes, looked up once per character.
const BASE64_CHAR = 1;
const HEX_CHAR = 2;
const CHAR_CLASS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-')
  CHAR_CLASS[c.charCodeAt(0)] = BASE64_CHAR;
for (const c of '0123456789ABCDEFabcdef')
  CHAR_CLASS[c.charCodeAt(0)] = BASE64_CHAR | HEX_CHAR;

const charClass = (c: number): number => (c < 128 ? CHAR_CLASS[c]! : 0);

/**
 * A cheap necessary condition for {@link decodeSegments} to find anything:
 * a run of 16 base64-alphabet characters (which every base64 and plain hex
 * candidate is) or seven hex pairs each followed by a space or colon (a
 * spaced hex candidate). Ordinary prose has neither, so it skips the three
 * lookbehind scans and any decoding.
 */
export function mayHoldEncodedRuns(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (charClass(text.charCodeAt(i)) & BASE64_CHAR) {
      if (++run >= 16) return true;
    } else run = 0;
  }
  // Pairs are stepped over whole, so a chain is never entered misaligned:
  // a pair cannot start one or two characters before another chain's pair.
  let pairs = 0;
  let i = 0;
  while (i + 2 < text.length) {
    const sep = text.charCodeAt(i + 2);
    if (
      charClass(text.charCodeAt(i)) & HEX_CHAR &&
      charClass(text.charCodeAt(i + 1)) & HEX_CHAR &&
      (sep === 32 || sep === 58)
    ) {
      if (++pairs >= 7) return true;
      i += 3;
    } else {
      pairs = 0;
      i++;
    }
  }
  return false;
}

/**
 * Finds base64 (standard and URL-safe) and hex segments that decode to
 * readable text, up to `maxDecodedChars` of decoded text in total.
 */
export function decodeSegments(
  text: string,
  maxDecodedChars: number,
): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  let budget = maxDecodedChars;
  const push = (
    encoding: DecodedSegment['encoding'],
    index: number,
    raw: string,
    buf: Buffer,
  ): void => {
    const decoded = readable(buf);
    if (decoded === undefined || budget <= 0) return;
    const clipped = decoded.slice(0, budget);
    budget -= clipped.length;
    out.push({
      encoding,
      span: { start: index, end: index + raw.length },
      text: clipped,
    });
  };
  for (const m of text.matchAll(HEX)) {
    push('hex', m.index, m[0], Buffer.from(m[0], 'hex'));
  }
  for (const m of text.matchAll(SPACED_HEX)) {
    push('hex', m.index, m[0], Buffer.from(m[0].replace(/[ :]/g, ''), 'hex'));
  }
  for (const m of text.matchAll(BASE64)) {
    if (/^[0-9A-Fa-f]+$/.test(m[0])) continue;
    const b64 = m[0].replace(/-/g, '+').replace(/_/g, '/');
    push('base64', m.index, m[0], Buffer.from(b64, 'base64'));
  }
  return out;
}
