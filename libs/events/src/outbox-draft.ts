import type { CloudEvent } from './cloud-event.js';
import type { PayloadSchemas } from './event-registry.js';
import { parseEvent } from './parse-event.js';

/** What {@link parseOutboxDraft} checks: the envelope an outbox builds itself. */
export interface OutboxDraft {
  readonly specversion: string;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: string;
  readonly tenant?: string;
  readonly principal?: string;
  readonly traceparent?: string;
  readonly data?: unknown;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const DRAFT_KEYS: ReadonlySet<string> = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'tenant',
  'principal',
  'traceparent',
  'data',
]);

/** `Date.toISOString()` output of a real date (what the schema's datetime accepts). */
function isIsoUtc(value: unknown): boolean {
  if (typeof value !== 'string' || !ISO_UTC.test(value)) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}

function text(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

function optionalText(value: unknown, max: number): boolean {
  return value === undefined || text(value, max);
}

/**
 * True only for drafts `cloudEventSchema` accepts: the attributes an outbox
 * sets, within their limits, `time` as `Date.toISOString()` writes it. It
 * may reject some valid envelopes; those take the schema's path.
 */
function wellFormedDraft(draft: OutboxDraft): boolean {
  for (const key of Object.keys(draft)) if (!DRAFT_KEYS.has(key)) return false;
  return (
    draft.specversion === '1.0' &&
    draft.datacontenttype === 'application/json' &&
    text(draft.id, 256) &&
    text(draft.source, 512) &&
    text(draft.type, 256) &&
    optionalText(draft.subject, 512) &&
    isIsoUtc(draft.time) &&
    optionalText(draft.tenant, 128) &&
    optionalText(draft.principal, 256) &&
    (draft.traceparent === undefined ||
      (typeof draft.traceparent === 'string' &&
        TRACEPARENT.test(draft.traceparent))) &&
    draft.data !== undefined
  );
}

/**
 * Validates an event an outbox is about to store, with the result and the
 * errors of `parseEvent(draft, { requireAuditChain: false })`: the envelope
 * is checked by hand when it is one an outbox builds (the common case, and
 * the schema's most expensive part), the payload always by its schema. Any
 * doubt, and every failure, goes through `parseEvent` itself.
 */
export function parseOutboxDraft(
  draft: OutboxDraft,
  schemas: PayloadSchemas,
): CloudEvent {
  if (wellFormedDraft(draft)) {
    const schema = schemas.get(draft.type);
    const data = schema?.safeParse(draft.data);
    if (data?.success === true)
      return { ...(draft as CloudEvent), data: data.data };
  }
  return parseEvent(draft, { schemas, requireAuditChain: false });
}
