import { createHash, randomBytes } from 'node:crypto';
import {
  AUDIT_EVENT_TYPES,
  TOPICS,
  type AuditActor,
  type AuditToolCallV1,
  type Outbox,
  type PayloadDigest,
} from '@fieldwise/events';
import type { Logger } from 'pino';
import type { ToolAuditRecord } from '../../domain/loop/run-turn.js';
import { AGENT_ACTOR } from '../crm-tools/downstream-signer.js';

const SOURCE = '/fieldwise/agent-service';

function digestOf(
  text: string,
  redact: (text: string) => Promise<string>,
): Promise<PayloadDigest> {
  return redact(text).then((redacted) => ({
    sha256: createHash('sha256').update(redacted).digest('hex'),
    sizeBytes: Buffer.byteLength(redacted),
    contentType: 'application/json',
    redacted: redacted !== text,
    truncated: false,
  }));
}

/**
 * Writes `fieldwise.audit.tool.call.v1` events to the outbox: the agent
 * (actor) acting for the user, the tool, its status and digests of the
 * redacted arguments, never the arguments themselves. Failures to append
 * are logged, never thrown into the turn.
 */
export function createToolAuditRecorder(deps: {
  readonly outbox: Outbox;
  readonly redact: (text: string) => Promise<string>;
  readonly logger: Logger;
}): (record: ToolAuditRecord) => void {
  return (record) => {
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
        arguments: await digestOf(record.argumentsJson, deps.redact),
        ...(record.resultJson !== undefined
          ? { result: await digestOf(record.resultJson, deps.redact) }
          : {}),
        ...(record.errorCode ? { errorCode: record.errorCode } : {}),
        latencyMs: record.latencyMs,
      };
      deps.outbox.append({
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
}
