import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AUDIT_EVENT_TYPES, type OutboxEventInput } from '../src/index.js';

/** A logger that writes nothing: tests fail on console output. */
export const silentLogger = pino({ level: 'silent' });

/** A fresh temp dir and its remover. */
export function tempDir(prefix = 'fieldwise-events-'): {
  path: string;
  remove: () => void;
} {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A valid `fieldwise.audit.request.v1` outbox input, numbered `n`. */
export function auditRequestInput(
  topic: string,
  n: number,
  overrides: Partial<OutboxEventInput> = {},
): OutboxEventInput {
  const userId = `u-seller-${String(n % 7).padStart(4, '0')}`;
  return {
    topic,
    key: userId,
    type: AUDIT_EVENT_TYPES.request,
    source: '/fieldwise/gateway',
    tenant: 'acme-main',
    principal: userId,
    data: {
      traceId: n.toString(16).padStart(32, '0'),
      actor: { userId, kind: 'user', roles: ['seller'], tenant: 'acme-main' },
      service: 'gateway',
      requestId: `req-${n}`,
      protocol: 'http',
      method: 'GET',
      route: '/v1/accounts/:id',
      status: 200,
      latencyMs: n % 50,
    },
    ...overrides,
  };
}
