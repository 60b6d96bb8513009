import { createHmac } from 'node:crypto';
import type { Finding, Span, TextEdit } from './types.js';

/** Matches a placeholder written by {@link placeholder}; detectors skip these so redaction is idempotent. */
export const PLACEHOLDER_PATTERN =
  /\[REDACTED:[A-Z0-9_]{1,40}(?::[0-9a-f]{8,16})?\]/g;

/**
 * The typed placeholder for a redacted value: `[REDACTED:EMAIL]`, or with a
 * key `[REDACTED:EMAIL:1a2b3c4d]`, a keyed hash that is stable for one value
 * (so equal values stay linkable) and reveals nothing without the key.
 */
export function placeholder(type: string, value: string, key?: string): string {
  if (!key) return `[REDACTED:${type}]`;
  const digest = createHmac('sha256', key).update(value).digest('hex');
  return `[REDACTED:${type}:${digest.slice(0, 8)}]`;
}

/** Spans of placeholders already in `text`, so detectors can ignore matches inside them. */
export function placeholderSpans(text: string): Span[] {
  if (!text.includes('[REDACTED:')) return [];
  const spans: Span[] = [];
  for (const m of text.matchAll(PLACEHOLDER_PATTERN)) {
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** True when `span` overlaps any of `spans`. */
export function overlapsAny(span: Span, spans: readonly Span[]): boolean {
  return spans.some((s) => span.start < s.end && s.start < span.end);
}

/**
 * Turns findings into non-overlapping edits. Overlapping findings merge into
 * one edit covering both; the first (earliest, then longest) finding's
 * replacement is used, so a secret inside a link is never partly kept.
 */
export function findingsToEdits(
  findings: readonly Finding[],
  replacementOf: (finding: Finding) => string,
): TextEdit[] {
  const sorted = [...findings].sort(
    (a, b) => a.span.start - b.span.start || b.span.end - a.span.end,
  );
  const edits: { span: Span; replacement: string }[] = [];
  for (const f of sorted) {
    const last = edits.at(-1);
    if (last && f.span.start < last.span.end) {
      if (f.span.end > last.span.end) {
        last.span = { start: last.span.start, end: f.span.end };
      }
      continue;
    }
    edits.push({ span: f.span, replacement: replacementOf(f) });
  }
  return edits;
}

/** Applies sorted, non-overlapping edits to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const e of edits) {
    out += text.slice(cursor, e.span.start) + e.replacement;
    cursor = e.span.end;
  }
  return out + text.slice(cursor);
}
