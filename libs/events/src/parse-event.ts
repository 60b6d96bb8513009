import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import type { z } from 'zod';
import { isAuditEventType } from './audit-events.js';
import { cloudEventSchema, type CloudEvent } from './cloud-event.js';
import {
  EVENT_PAYLOAD_SCHEMAS,
  type PayloadSchemas,
} from './event-registry.js';

/** Options for {@link parseEvent}. */
export interface ParseEventOptions {
  /** Payload schemas by type; defaults to {@link EVENT_PAYLOAD_SCHEMAS}. */
  readonly schemas?: PayloadSchemas;
  /**
   * Require `producerid`, `seq`, `prevhash` and `hash` on audit events, as
   * every audit event that left an outbox carries them. Default true.
   */
  readonly requireAuditChain?: boolean;
}

/**
 * Validates an unknown value as a Fieldwise CloudEvent: the envelope, then
 * `data` against the schema registered for its `type`. Returns the event
 * with `data` as the schema parsed it. Throws `ValidationError` naming each
 * invalid field (`data.<path>` for payload fields) or an unknown type.
 */
export function parseEvent(
  value: unknown,
  options: ParseEventOptions = {},
): CloudEvent {
  const envelope = cloudEventSchema.safeParse(value);
  if (!envelope.success) {
    throw new ValidationError(violationsOf(envelope.error, ''));
  }
  const event = envelope.data as CloudEvent;
  const schemas = options.schemas ?? EVENT_PAYLOAD_SCHEMAS;
  const schema = schemas.get(event.type);
  if (schema === undefined) {
    throw new ValidationError([
      { field: 'type', message: `unknown event type '${event.type}'` },
    ]);
  }
  const data = schema.safeParse(event.data);
  if (!data.success) {
    throw new ValidationError(violationsOf(data.error, 'data'));
  }
  if ((options.requireAuditChain ?? true) && isAuditEventType(event.type)) {
    const missing = (['producerid', 'seq', 'prevhash', 'hash'] as const).filter(
      (attribute) => event[attribute] === undefined,
    );
    if (missing.length > 0) {
      throw new ValidationError(
        missing.map((field) => ({
          field,
          message: 'audit events must carry their hash-chain attributes',
        })),
      );
    }
  }
  return { ...event, data: data.data };
}

function violationsOf(error: z.ZodError, prefix: string): FieldViolation[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}
