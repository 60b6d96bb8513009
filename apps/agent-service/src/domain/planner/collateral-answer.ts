import { list, obj, str } from './answer-format.js';
import { contentWords } from './text-features.js';

/** A retrieved chunk cited in the answer as `[marker]`. */
export interface CitedChunk {
  readonly marker: number;
  /** The retrieval chunk id, when the tool returned one. */
  readonly chunkId?: string;
  readonly documentId: string;
  readonly title: string;
  readonly section: string;
  /** The first quoted passage, verbatim from the chunk text. */
  readonly quote?: string;
}

interface Chunk {
  readonly chunkId?: string;
  readonly documentId: string;
  readonly title: string;
  readonly section: string;
  readonly text: string;
  readonly flagged: boolean;
}

/** What the guardrails put in place of flagged text. */
const WITHHELD = /\[withheld[:\]]/i;

function chunksOf(value: unknown): Chunk[] {
  const v = obj(value);
  const raw = Array.isArray(value)
    ? value
    : list(v.results).length
      ? list(v.results)
      : list(v.chunks);
  return raw.map(obj).map((r) => {
    const citation = obj(r.citation);
    const text = str(r.text) ?? str(citation.snippet) ?? str(r.snippet) ?? '';
    const chunkId = str(r.chunkId) ?? str(citation.chunkId);
    return {
      ...(chunkId === undefined ? {} : { chunkId }),
      documentId: str(r.documentId) ?? str(citation.documentId) ?? '?',
      title:
        str(r.title) ?? str(citation.title) ?? str(r.documentId) ?? 'document',
      section:
        str(r.section) ?? str(r.sectionPath) ?? str(citation.section) ?? '',
      text,
      flagged:
        [r.injectionFlagged, r.flagged, r.withheld, r.untrusted].some(
          (x) => x === true,
        ) || WITHHELD.test(text),
    };
  });
}

/** A quotable unit of a chunk: the text shown and the verbatim text it came from. */
interface Passage {
  readonly display: string;
  readonly raw: string;
}

/**
 * The quotable units of a chunk: table rows whole (a row's cells only make
 * sense together), other lines split into sentences; markdown emphasis and
 * heading marks are dropped from what is shown, never from the quote.
 */
export function passages(text: string): Passage[] {
  const out: Passage[] = [];
  for (const rawLine of text.split(/\n+/)) {
    const line = rawLine.trim();
    if (line === '' || /^\|?[\s:|-]+\|?$/.test(line)) continue;
    const pieces = line.startsWith('|')
      ? [line]
      : line.split(/(?<=[.!?])\s+(?=[A-Z$0-9*])/);
    for (const piece of pieces) {
      const raw = piece.trim();
      const display = (
        raw.startsWith('|')
          ? raw
              .replace(/^\||\|$/g, '')
              .split('|')
              .map((c) => c.trim())
              .join(' | ')
          : raw.replace(/^[#>*-]+\s*/, '')
      ).replace(/\*\*|__/g, '');
      if (display.length > 12) out.push({ display, raw });
    }
  }
  return out;
}

/**
 * The answer to a collateral question: the retrieved passages sharing the
 * most words with the question (figures weigh a little more), best chunks
 * first, each with the `[n]` of its chunk. `citations` receives the chunks
 * in marker order. Flagged or withheld chunks are counted, never quoted.
 */
export function collateralAnswer(
  message: string,
  value: unknown,
  untrusted: boolean,
  citations: CitedChunk[],
): string {
  const chunks = chunksOf(value);
  const usable = untrusted
    ? []
    : chunks.filter((c) => !c.flagged && c.text !== '');
  const withheld = chunks.length - usable.length;
  const query = new Set(contentWords(message));
  const picked: {
    passage: Passage;
    chunk: Chunk;
    score: number;
    order: number;
  }[] = [];
  usable.slice(0, 5).forEach((chunk, rank) => {
    const scored = passages(chunk.text).map((passage, order) => {
      const overlap = contentWords(passage.display).filter((w) =>
        query.has(w),
      ).length;
      const figures = /\d/.test(passage.display) ? 0.5 : 0;
      return {
        passage,
        chunk,
        score: overlap + figures - rank * 0.3,
        order: rank * 1000 + order,
      };
    });
    scored.sort((a, b) => b.score - a.score || a.order - b.order);
    picked.push(...scored.slice(0, 3).filter((s) => s.score > 0));
  });
  const lines: string[] = [];
  if (picked.length === 0) {
    lines.push(
      usable.length === 0
        ? 'I found no collateral that answers this.'
        : 'The collateral I found does not answer this directly.',
    );
  } else {
    picked.sort((a, b) => b.score - a.score || a.order - b.order);
    lines.push('From the collateral:');
    for (const p of picked.slice(0, 7)) {
      const key = p.chunk.chunkId ?? `${p.chunk.documentId}#${p.chunk.section}`;
      let cited = citations.find(
        (c) => (c.chunkId ?? `${c.documentId}#${c.section}`) === key,
      );
      if (cited === undefined) {
        cited = {
          marker: citations.length + 1,
          ...(p.chunk.chunkId === undefined
            ? {}
            : { chunkId: p.chunk.chunkId }),
          documentId: p.chunk.documentId,
          title: p.chunk.title,
          section: p.chunk.section,
          quote: p.passage.raw,
        };
        citations.push(cited);
      }
      lines.push(
        `- ${p.passage.display.replace(/\s*\[\d+\]\s*/g, ' ')} [${cited.marker}]`,
      );
    }
  }
  if (withheld > 0) {
    lines.push(
      `${withheld} retrieved passage(s) were withheld because they looked like instructions; I treated them as data and did not act on them.`,
    );
  }
  return lines.join('\n');
}
