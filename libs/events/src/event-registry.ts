import type { z } from 'zod';
import {
  AUDIT_EVENT_TYPES,
  auditAuthzDecisionV1Schema,
  auditDataChangeV1Schema,
  auditGuardrailHitV1Schema,
  auditRateLimitV1Schema,
  auditRequestV1Schema,
  auditToolCallV1Schema,
} from './audit-events.js';
import {
  FEEDBACK_EVENT_TYPES,
  feedbackSubmittedV1Schema,
} from './feedback-events.js';

/** Maps an event type to the zod schema of its `data`. */
export type PayloadSchemas = ReadonlyMap<string, z.ZodType>;

/** The payload schema of every Fieldwise event type. */
export const EVENT_PAYLOAD_SCHEMAS: PayloadSchemas = new Map<string, z.ZodType>(
  [
    [AUDIT_EVENT_TYPES.request, auditRequestV1Schema],
    [AUDIT_EVENT_TYPES.authzDecision, auditAuthzDecisionV1Schema],
    [AUDIT_EVENT_TYPES.guardrailHit, auditGuardrailHitV1Schema],
    [AUDIT_EVENT_TYPES.toolCall, auditToolCallV1Schema],
    [AUDIT_EVENT_TYPES.dataChange, auditDataChangeV1Schema],
    [AUDIT_EVENT_TYPES.rateLimit, auditRateLimitV1Schema],
    [FEEDBACK_EVENT_TYPES.submitted, feedbackSubmittedV1Schema],
  ],
);
