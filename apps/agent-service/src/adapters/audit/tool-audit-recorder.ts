import { createHash, randomBytes } from 'node:crypto';
import {
  AUDIT_EVENT_TYPES,
  TOPICS,
  type AuditActor,
  type AuditToolCallV1,
  type Outbox,
  type OutboxEventInput,
  type PayloadDigest,
} from '@fieldwise/events';
import type { Logger } from 'pino';
import type { ToolAuditRecord } from '../../domain/loop/run-turn.js';
import { AGENT_ACTOR } from '../crm-tools/downstream-signer.js';

const SOURCE = '/fieldwise/agent-service';

function digestOfRedacted(text: string, redacted: string): PayloadDigest {
  return {
    sha256: createHash('sha256').update(redacted).digest('hex'),
    sizeBytes: Buffer.byteLength(redacted),
    contentType: 'application/json',
    redacted: redacted !== text,
    truncated: false,
  };
}

async function digestOf(
  text: string,
  redact: (text: string) => Promise<string>,
  alreadyRedacted?: string,
): Promise<PayloadDigest> {
  return digestOfRedacted(text, alreadyRedacted ?? (await redact(text)));
}

/** Records tool calls; `flush` appends what is queued now (call it before closing the outbox). */
export interface ToolAuditRecorder {
  (record: ToolAuditRecord): void;
  flush(): void;
}

/**
 * Writes `fieldwise.audit.tool.call.v1` events to the outbox: the agent
 * (actor) acting for the user, the tool, its status and digests of the
 * redacted arguments, never the arguments themselves. Failures to append
 * are logged, never thrown into the turn.
 *
 * Events are group-committed: those recorded in one pass of the event loop
 * (the tool calls of a turn, or of concurrent turns) go to the outbox in one
 * `appendMany`, one SQLite commit instead of one each; the order is kept.
 * A batch the outbox refuses is appended event by event, so one bad event
 * cannot take the others with it.
 */
export function createToolAuditRecorder(deps: {
  readonly outbox: Outbox;
  readonly redact: (text: string) => Promise<string>;
  readonly logger: Logger;
}): ToolAuditRecorder {
  let queue: OutboxEventInput[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      deps.outbox.appendMany(batch);
    } catch {
      for (const input of batch) {
        try {
          deps.outbox.append(input);
        } catch (error) {
          deps.logger.error(
            { err: error, tool: input.subject },
            'tool audit event not recorded',
          );
        }
      }
    }
  };
  const enqueue = (input: OutboxEventInput): void => {
    queue.push(input);
    scheduled ??= setImmediate(flush);
  };
  const record = (record: ToolAuditRecord): void => {
    const { principal } = record;
    const actor: AuditActor = {
      userId: principal.actor?.id ?? AGENT_ACTOR.id,
      kind: 'service',
      roles: [principal.actor?.role ?? AGENT_ACTOR.role],
      tenant: principal.tenant,
      onBehalfOf: principal.userId,
      ...(principal.actor?.purpose === 'evaluation'
        ? { impersonation: true }
        : {}),
    };
    void (async () => {
      const data: AuditToolCallV1 = {
        traceId: record.traceId ?? randomBytes(16).toString('hex'),
        actor,
        service: 'agent-service',
        conversationId: record.conversationId,
        tool: record.tool,
        writes: record.writes,
        status: record.status,
        ...(record.confirmationId
          ? { confirmationId: record.confirmationId }
          : {}),
        arguments: await digestOf(
          record.argumentsJson,
          deps.redact,
          record.redactedArgumentsJson,
        ),
        ...(record.resultJson !== undefined
          ? { result: await digestOf(record.resultJson, deps.redact) }
          : {}),
        ...(record.errorCode ? { errorCode: record.errorCode } : {}),
        latencyMs: record.latencyMs,
      };
      enqueue({
        topic: TOPICS.audit,
        key: principal.userId,
        type: AUDIT_EVENT_TYPES.toolCall,
        source: SOURCE,
        subject: record.tool,
        tenant: principal.tenant,
        principal: principal.userId,
        data,
      });
    })().catch((error: unknown) => {
      deps.logger.error(
        { err: error, tool: record.tool },
        'tool audit event not recorded',
      );
    });
  };
  return Object.assign(record, { flush });
}
