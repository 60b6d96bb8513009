import type { GuardrailPipeline } from '@fieldwise/guardrails';
import type { RetrievedChunk, ToolResult } from '../tools/tool.js';
import { WITHHELD_NOTICE } from './untrusted-data.js';

/** A tool result after the guardrails' toolOutput stage. */
export interface ScannedResult {
  /** The data with every flagged text replaced by {@link WITHHELD_NOTICE}. */
  readonly data: unknown;
  /** Chunks the model saw (and so may cite); flagged ones are left out. */
  readonly citeable: readonly RetrievedChunk[];
  /** How many texts were withheld. */
  readonly withheld: number;
}

const MIN_SCANNED_CHARS = 16;
/** Single tokens this long are scanned too (encoded payloads hide in them). */
const LONG_TOKEN_CHARS = 64;

/**
 * Whether a string value could carry an instruction: prose (has
 * whitespace) or a long token. Ids, codes, dates and enum names cannot, and
 * keys and numbers come from the contract, not from the data's author.
 */
function scannable(value: string): boolean {
  return (
    value.length >= MIN_SCANNED_CHARS &&
    (/\s/.test(value) || value.length >= LONG_TOKEN_CHARS)
  );
}

/** The scannable string values of a JSON value, one per line. */
function proseOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (scannable(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) proseOf(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>))
      proseOf(v, out);
  }
  return out;
}

async function flagged(
  guardrails: GuardrailPipeline,
  text: string,
): Promise<boolean> {
  const result = await guardrails.check('toolOutput', text);
  return result.action === 'block' || result.hits.length > 0;
}

async function scrub(
  guardrails: GuardrailPipeline,
  value: unknown,
  counter: { withheld: number },
): Promise<unknown> {
  if (typeof value === 'string') {
    if (!scannable(value)) return value;
    if (await flagged(guardrails, value)) {
      counter.withheld++;
      return WITHHELD_NOTICE;
    }
    return value;
  }
  if (Array.isArray(value))
    return Promise.all(value.map((v) => scrub(guardrails, v, counter)));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value as Record<string, unknown>).map(
        async ([k, v]) => [k, await scrub(guardrails, v, counter)] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * Scans a tool result with the guardrails `toolOutput` stage before the
 * model sees it. Retrieved chunks are judged one by one (the retrieval
 * service's own ingestion flag counts too); the prose of other data (string
 * values with whitespace, or long tokens) is scanned in one check and, only
 * when something triggers, string by string, so a clean result costs one
 * check. Flagged texts are replaced by a notice.
 */
export async function scanToolResult(
  guardrails: GuardrailPipeline,
  result: ToolResult,
): Promise<ScannedResult> {
  const counter = { withheld: 0 };
  let data = result.data;
  const citeable: RetrievedChunk[] = [];
  const withheldChunks = new Set<string>();
  for (const chunk of result.chunks ?? []) {
    if (chunk.injectionFlagged || (await flagged(guardrails, chunk.text))) {
      withheldChunks.add(chunk.chunkId);
    } else {
      citeable.push(chunk);
    }
  }
  if (withheldChunks.size > 0 && data !== null && typeof data === 'object') {
    counter.withheld += withheldChunks.size;
    const { results, ...rest } = data as { results?: unknown[] };
    data = {
      ...rest,
      results: (results ?? []).map((r) => {
        const row = r as { chunkId?: string; title?: string };
        return row.chunkId !== undefined && withheldChunks.has(row.chunkId)
          ? { chunkId: row.chunkId, text: WITHHELD_NOTICE }
          : r;
      }),
    };
  }
  const prose = proseOf(data);
  if (prose.length > 0 && (await flagged(guardrails, prose.join('\n')))) {
    data = await scrub(guardrails, data, counter);
  }
  return { data, citeable, withheld: counter.withheld };
}
