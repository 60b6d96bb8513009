import { createHash, randomBytes } from 'node:crypto';
import {
  AUDIT_EVENT_TYPES,
  TOPICS,
  type AuditActor,
  type AuditAuthzDecisionV1,
  type AuditDataChangeV1,
  type Outbox,
} from '@fieldwise/events';
import type { CallContext } from '@fieldwise/grpc';
import type { FieldChange } from '../adapters/store/port.js';

const SOURCE = '/fieldwise/crm-service';

/** A record created by a write RPC (email draft, proposal). */
export interface CreatedRecord {
  readonly entity: string;
  readonly id: string;
  readonly fields: readonly string[];
  readonly idempotencyKey?: string | undefined;
}

/** A refused write: what was attempted on which record. */
export interface DeniedWrite {
  readonly resource: string;
  readonly action: string;
  readonly reason: string;
}

/**
 * Writes the crm-service's audit events to the outbox (which a relay moves
 * to Kafka when one is configured). Values never appear in clear: a data
 * change carries SHA-256 digests of the before and after values.
 */
export class AuditRecorder {
  constructor(private readonly outbox: Outbox) {}

  /** `fieldwise.audit.data.change.v1` for one committed field update. */
  fieldChanged(
    ctx: CallContext,
    change: FieldChange,
    idempotencyKey?: string,
  ): void {
    const data: AuditDataChangeV1 = {
      ...this.common(ctx),
      entity: change.entity,
      entityId: change.id,
      operation: 'update',
      changes: [
        {
          field: change.field,
          beforeSha256: digest(change.before),
          afterSha256: digest(change.after),
        },
      ],
      versionBefore: change.version - 1,
      versionAfter: change.version,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    };
    this.append(
      ctx,
      AUDIT_EVENT_TYPES.dataChange,
      `${change.entity}/${change.id}`,
      data,
    );
  }

  /** `fieldwise.audit.data.change.v1` for a created record (digests of nothing but field names). */
  recordCreated(ctx: CallContext, record: CreatedRecord): void {
    const data: AuditDataChangeV1 = {
      ...this.common(ctx),
      entity: record.entity,
      entityId: record.id,
      operation: 'create',
      changes: record.fields.map((field) => ({
        field,
        beforeSha256: null,
        afterSha256: null,
      })),
      versionBefore: null,
      versionAfter: 1,
      ...(record.idempotencyKey === undefined
        ? {}
        : { idempotencyKey: record.idempotencyKey }),
    };
    this.append(
      ctx,
      AUDIT_EVENT_TYPES.dataChange,
      `${record.entity}/${record.id}`,
      data,
    );
  }

  /** `fieldwise.audit.authz.decision.v1` (deny) for a write outside the caller's scope. */
  writeDenied(ctx: CallContext, denied: DeniedWrite): void {
    const data: AuditAuthzDecisionV1 = {
      ...this.common(ctx),
      resourceKind: 'record',
      resource: denied.resource.slice(0, 512),
      action: denied.action,
      decision: 'deny',
      rule: 'crm row-level access (territory scope)',
      reason: denied.reason.slice(0, 512),
    };
    this.append(
      ctx,
      AUDIT_EVENT_TYPES.authzDecision,
      denied.resource.slice(0, 256),
      data,
    );
  }

  private append(
    ctx: CallContext,
    type: string,
    subject: string,
    data: AuditDataChangeV1 | AuditAuthzDecisionV1,
  ): void {
    this.outbox.append({
      topic: TOPICS.audit,
      key: ctx.principal.userId,
      type,
      source: SOURCE,
      subject,
      tenant: ctx.principal.tenant,
      principal: ctx.principal.userId,
      data,
      ...(ctx.traceId && ctx.spanId
        ? { traceparent: `00-${ctx.traceId}-${ctx.spanId}-01` }
        : {}),
    });
  }

  private common(ctx: CallContext): {
    traceId: string;
    actor: AuditActor;
    service: 'crm-service';
  } {
    const { principal } = ctx;
    // A service identity acting for a user is the actor; the user is who it acted for.
    const actor: AuditActor = principal.actor
      ? {
          userId: principal.actor.id,
          kind: 'service',
          roles: [principal.actor.role],
          tenant: principal.tenant,
          onBehalfOf: principal.userId,
          ...(principal.actor.purpose === 'evaluation'
            ? { impersonation: true }
            : {}),
        }
      : {
          userId: principal.userId,
          kind: 'user',
          roles: [...principal.roles],
          tenant: principal.tenant,
        };
    return {
      // Without tracing there is no trace id; a random one still ties the event to nothing else.
      traceId: ctx.traceId ?? randomBytes(16).toString('hex'),
      actor,
      service: 'crm-service',
    };
  }
}

function digest(value: string | number | null): string | null {
  return value === null
    ? null
    : createHash('sha256').update(String(value)).digest('hex');
}
