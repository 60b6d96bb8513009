import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authorizer } from '@fieldwise/authz';
import { PermissionDeniedError } from '@fieldwise/errors';
import { readOutbox, TOPICS } from '@fieldwise/events';
import type { AuditSink } from '../../../audit/audit-sink.js';
import { standardErrors } from '../../../schemas/problem.js';

const auditQuery = z
  .object({
    type: z
      .string()
      .regex(/^fieldwise\.audit\.[a-z.]+\.v\d+$/)
      .optional()
      .describe(
        'Only events of this type, e.g. fieldwise.audit.authz.decision.v1',
      ),
    userId: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe('Only events of this actor'),
    traceId: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional()
      .describe('Only events of this request'),
    since: z.iso.datetime().optional().describe('Events at or after this time'),
    until: z.iso.datetime().optional().describe('Events before this time'),
    after: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Cursor: `nextCursor` of the previous page'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const auditEventView = z.object({
  cursor: z.number().int(),
  id: z.string(),
  type: z.string(),
  time: z.string(),
  principal: z.string().optional(),
  traceparent: z.string().optional(),
  seq: z.number().int().optional(),
  hash: z.string().optional(),
  data: z
    .record(z.string(), z.unknown())
    .describe('Metadata and payload digests; never clear-text payloads'),
});

const auditPage = z.object({
  items: z.array(auditEventView),
  nextCursor: z
    .number()
    .int()
    .optional()
    .describe('Pass as `after` for the next page; absent on the last page'),
});

/** Options of {@link auditRoutes}. */
export interface AuditRouteOptions {
  readonly authorizer: Authorizer;
  readonly sink: AuditSink;
  /** The outbox database file the sink writes to. */
  readonly outboxPath: string;
}

interface StoredEvent {
  id: string;
  type: string;
  time: string;
  tenant?: string;
  principal?: string;
  traceparent?: string;
  seq?: number;
  hash?: string;
  data: Record<string, unknown>;
}

function asStoredEvent(value: unknown): StoredEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Partial<StoredEvent>;
  if (
    typeof event.id !== 'string' ||
    typeof event.type !== 'string' ||
    typeof event.time !== 'string' ||
    typeof event.data !== 'object' ||
    event.data === null
  )
    return undefined;
  return event as StoredEvent;
}

/**
 * `GET /v1/audit/events` (security auditors): the audit events of the
 * caller's tenant from this gateway's outbox, oldest first, filtered and
 * paged by cursor. Events hold metadata and digests of redacted payloads
 * only; nobody can change or delete them through the API.
 */
export const auditRoutes: FastifyPluginCallback<AuditRouteOptions> = (
  app,
  options,
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/audit/events',
    {
      schema: {
        summary: 'Audit events of your tenant (metadata and digests only)',
        tags: ['governance'],
        querystring: auditQuery,
        response: { 200: auditPage, ...standardErrors },
      },
    },
    async (request) => {
      const principal = await request.authenticate();
      // Defense in depth: the audit stream has its own rule besides the route's.
      const decision = options.authorizer.canReadAudit(
        principal,
        principal.tenant,
      );
      if (!decision.allowed) {
        throw new PermissionDeniedError('Not allowed to read audit events');
      }
      options.sink.flush();
      const query = request.query;
      const since = query.since ? Date.parse(query.since) : undefined;
      const until = query.until ? Date.parse(query.until) : undefined;
      const items: z.infer<typeof auditEventView>[] = [];
      let more = false;
      for (const stored of readOutbox(options.outboxPath, {
        topic: TOPICS.audit,
        afterId: query.after ?? 0,
      })) {
        const event = asStoredEvent(stored.event);
        if (!event || event.tenant !== principal.tenant) continue;
        if (query.type && event.type !== query.type) continue;
        if (query.userId && event.principal !== query.userId) continue;
        if (query.traceId && event.data.traceId !== query.traceId) continue;
        const time = Date.parse(event.time);
        if (since !== undefined && time < since) continue;
        if (until !== undefined && time >= until) continue;
        if (items.length === query.limit) {
          more = true;
          break;
        }
        items.push({
          cursor: stored.record.id,
          id: event.id,
          type: event.type,
          time: event.time,
          ...(event.principal !== undefined
            ? { principal: event.principal }
            : {}),
          ...(event.traceparent !== undefined
            ? { traceparent: event.traceparent }
            : {}),
          ...(typeof event.seq === 'number' ? { seq: event.seq } : {}),
          ...(typeof event.hash === 'string' ? { hash: event.hash } : {}),
          data: event.data,
        });
      }
      const last = items.at(-1);
      return {
        items,
        ...(more && last ? { nextCursor: last.cursor } : {}),
      };
    },
  );
  done();
};
