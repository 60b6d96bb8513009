import { createHash } from 'node:crypto';
import type { Authorizer } from '@fieldwise/authz';
import { FieldwiseError, NotFoundError } from '@fieldwise/errors';
import type { Principal } from '@fieldwise/principal';
import type {
  ConversationStore,
  PendingActionRecord,
} from '../../adapters/conversation-store/port.js';
import { toToolError } from '../tools/tool-executor.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { ToolDeps, WriteProposal, WriteTarget } from '../tools/tool.js';

/** JSON with object keys sorted, so equal arguments hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

/** SHA-256 (hex) of a text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What the action executor needs. */
export interface ActionDeps {
  readonly store: ConversationStore;
  readonly tools: ToolRegistry;
  readonly toolDeps: ToolDeps;
  readonly authorizer: Pick<Authorizer, 'canUseTool'>;
  readonly clock: () => Date;
  readonly newId: () => string;
  /** How long a pending action may be confirmed. */
  readonly actionTtlMs: number;
  /** Deadline of the write call itself. */
  readonly toolTimeoutMs: number;
  /** Redacts arguments kept after a decision (one redaction path). */
  readonly redact: (text: string) => Promise<string>;
}

/** Records a write tool's proposal as a pending action bound to the user and the exact arguments. */
export async function createPendingAction(
  deps: ActionDeps,
  input: {
    readonly principal: Principal;
    readonly conversationId: string;
    readonly tool: string;
    readonly proposal: WriteProposal;
  },
): Promise<PendingActionRecord> {
  const argumentsJson = canonicalJson(input.proposal.arguments);
  const now = deps.clock();
  const record: PendingActionRecord = {
    id: deps.newId(),
    conversationId: input.conversationId,
    tenant: input.principal.tenant,
    userId: input.principal.userId,
    tool: input.tool,
    argumentsJson,
    argumentsSha256: sha256Hex(argumentsJson),
    summary: input.proposal.summary,
    changes: input.proposal.changes,
    targetJson: JSON.stringify(input.proposal.target),
    status: 'pending',
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.actionTtlMs),
    decidedAt: null,
    resultJson: '',
    errorCode: '',
  };
  await deps.store.savePendingAction(record);
  return record;
}

/** The outcome of a confirmation that was allowed to run. */
export interface ConfirmOutcome {
  readonly action: PendingActionRecord;
  /** Tool result as JSON; '' when the execution failed. */
  readonly resultJson: string;
  /** Catalogue code of a failed execution (e.g. CONFLICT); '' on success. */
  readonly errorCode: string;
}

async function loadOwned(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
): Promise<PendingActionRecord> {
  const action = await deps.store.getPendingAction(actionId);
  // Another tenant's action does not exist for this caller.
  if (action === undefined || action.tenant !== principal.tenant)
    throw new NotFoundError('pending action', actionId);
  if (action.userId !== principal.userId)
    throw new FieldwiseError(
      'PERMISSION_DENIED',
      'only the user who was asked may decide this action',
      { context: { actionId } },
    );
  return action;
}

function refuseDecided(action: PendingActionRecord): never {
  if (action.status === 'expired')
    throw new FieldwiseError('ACTION_EXPIRED', 'this action has expired', {
      context: { actionId: action.id },
    });
  throw new FieldwiseError(
    'ACTION_ALREADY_DECIDED',
    `this action was already ${action.status}`,
    { context: { actionId: action.id, status: action.status } },
  );
}

async function reload(
  deps: ActionDeps,
  id: string,
): Promise<PendingActionRecord> {
  const action = await deps.store.getPendingAction(id);
  if (action === undefined) throw new NotFoundError('pending action', id);
  return action;
}

/**
 * Executes a pending action at most once, for the user it was proposed to.
 * Refusals, each with its own code: unknown/other tenant → NOT_FOUND;
 * another user → PERMISSION_DENIED; past its expiry → ACTION_EXPIRED;
 * already confirmed, executing or rejected → ACTION_ALREADY_DECIDED;
 * arguments changed since proposed → INTERNAL; tool no longer allowed →
 * PERMISSION_DENIED. The claim is a compare-and-set in the store, so two
 * concurrent confirmations cannot both run. The write carries the action id
 * as idempotency key and the version read when proposing; a record that
 * moved on comes back as a FAILED action with `errorCode` CONFLICT.
 */
export async function confirmAction(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  call: { readonly signal: AbortSignal; readonly deadline: Date },
): Promise<ConfirmOutcome> {
  const action = await loadOwned(deps, principal, actionId);
  if (action.status !== 'pending') refuseDecided(action);
  const now = deps.clock();
  if (now.getTime() >= action.expiresAt.getTime()) {
    await deps.store.transitionPendingAction(action.id, 'pending', 'expired', {
      decidedAt: now,
    });
    refuseDecided({ ...action, status: 'expired' });
  }
  if (sha256Hex(action.argumentsJson) !== action.argumentsSha256)
    throw new FieldwiseError(
      'INTERNAL',
      'the stored action does not match its hash',
    );
  const tool = deps.tools.get(action.tool);
  if (tool === undefined || !tool.writes)
    throw new FieldwiseError('INTERNAL', `no write tool '${action.tool}'`);
  if (!deps.authorizer.canUseTool(principal, tool.permission).allowed)
    throw new FieldwiseError(
      'PERMISSION_DENIED',
      `you may no longer use ${tool.name}`,
    );
  const claimed = await deps.store.transitionPendingAction(
    action.id,
    'pending',
    'executing',
    { decidedAt: now },
  );
  if (!claimed) refuseDecided(await reload(deps, action.id));

  const args = JSON.parse(action.argumentsJson) as Record<string, unknown>;
  const target = JSON.parse(action.targetJson) as WriteTarget;
  const signal = AbortSignal.any([
    call.signal,
    AbortSignal.timeout(deps.toolTimeoutMs),
  ]);
  const redactedArgs = await deps.redact(action.argumentsJson);
  try {
    const execution = await tool.execute(deps.toolDeps, args, {
      principal,
      signal,
      deadline: new Date(
        Math.min(call.deadline.getTime(), Date.now() + deps.toolTimeoutMs),
      ),
      idempotencyKey: action.id,
      target,
    });
    const resultJson = JSON.stringify(execution.result);
    await deps.store.transitionPendingAction(
      action.id,
      'executing',
      'executed',
      {
        resultJson,
        argumentsJson: redactedArgs,
      },
    );
    return { action: await reload(deps, action.id), resultJson, errorCode: '' };
  } catch (error) {
    const { code } = toToolError(error);
    await deps.store.transitionPendingAction(action.id, 'executing', 'failed', {
      errorCode: code,
      argumentsJson: redactedArgs,
    });
    return {
      action: await reload(deps, action.id),
      resultJson: '',
      errorCode: code,
    };
  }
}

/** Discards a pending action; same ownership rules and refusals as {@link confirmAction}. */
export async function rejectAction(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
): Promise<PendingActionRecord> {
  const action = await loadOwned(deps, principal, actionId);
  if (action.status !== 'pending') refuseDecided(action);
  const now = deps.clock();
  const expired = now.getTime() >= action.expiresAt.getTime();
  const moved = await deps.store.transitionPendingAction(
    action.id,
    'pending',
    expired ? 'expired' : 'rejected',
    { decidedAt: now, argumentsJson: await deps.redact(action.argumentsJson) },
  );
  if (!moved) refuseDecided(await reload(deps, action.id));
  if (expired) refuseDecided({ ...action, status: 'expired' });
  return reload(deps, action.id);
}
