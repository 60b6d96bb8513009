import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  AUDIT_EVENT_TYPES,
  FEEDBACK_EVENT_TYPES,
  SqliteOutbox,
  TOPICS,
  type AppendedEvent,
} from '../../src/index.js';
import { auditRequestInput, silentLogger } from '../helpers.js';

const ACTOR_SEC = {
  userId: 'u-sec-1',
  kind: 'user',
  roles: ['auditor'],
  tenant: 'acme-main',
} as const;

/**
 * Writes an outbox with six audit events (four requests, one denied authz
 * decision, one guardrail hit at fixed times) and one feedback event, and
 * returns what was stored.
 */
export function writeAuditOutbox(
  dir: string,
  fileName = 'gateway-outbox.sqlite',
): {
  path: string;
  events: AppendedEvent[];
} {
  let tick = Date.parse('2026-11-25T10:00:00.000Z');
  const outbox = SqliteOutbox.open({
    dataDir: dir,
    fileName,
    logger: silentLogger,
    now: () => new Date((tick += 60_000)),
  });
  const events: AppendedEvent[] = [];
  for (let n = 1; n <= 4; n += 1)
    events.push(outbox.append(auditRequestInput(TOPICS.audit, n)));
  events.push(
    outbox.append({
      topic: TOPICS.audit,
      key: 'u-sec-1',
      type: AUDIT_EVENT_TYPES.authzDecision,
      source: '/fieldwise/gateway',
      tenant: 'acme-main',
      principal: 'u-sec-1',
      data: {
        traceId: 'a'.repeat(32),
        actor: ACTOR_SEC,
        service: 'gateway',
        resourceKind: 'route',
        resource: 'PUT /v1/policy',
        action: 'call',
        decision: 'deny',
      },
    }),
  );
  events.push(
    outbox.append({
      topic: TOPICS.audit,
      key: 'u-seller-0003',
      type: AUDIT_EVENT_TYPES.guardrailHit,
      source: '/fieldwise/gateway',
      tenant: 'other-tenant',
      principal: 'u-seller-0003',
      data: {
        traceId: 'b'.repeat(32),
        actor: {
          userId: 'u-seller-0003',
          kind: 'user',
          roles: ['seller'],
          tenant: 'other-tenant',
        },
        service: 'gateway',
        rule: 'pii.credit-card',
        category: 'pii',
        stage: 'input',
        mode: 'redact',
        findings: [{ kind: 'credit-card', count: 1 }],
        payload: {
          sha256: 'c'.repeat(64),
          sizeBytes: 42,
          redacted: true,
          truncated: false,
        },
      },
    }),
  );
  outbox.append({
    topic: TOPICS.feedback,
    key: 'conv-1',
    type: FEEDBACK_EVENT_TYPES.submitted,
    source: '/fieldwise/gateway',
    data: {
      feedbackId: 'f1',
      conversationId: 'conv-1',
      userId: 'u-1',
      tenant: 'acme-main',
      rating: 'down',
      comment: 'secret text',
    },
  });
  outbox.close();
  return { path: join(dir, fileName), events };
}

/** Runs SQL against an outbox file, as an attacker with file access would. */
export function tamper(
  path: string,
  run: (db: Database.Database) => void,
): void {
  const db = new Database(path);
  try {
    run(db);
  } finally {
    db.close();
  }
}
