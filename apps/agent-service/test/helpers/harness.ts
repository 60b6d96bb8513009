import { randomUUID } from 'node:crypto';
import {
  createAuthorizer,
  DEFAULT_POLICY_PATH,
  type Authorizer,
} from '@fieldwise/authz';
import type { Principal } from '@fieldwise/principal';
import {
  createScriptedChatModel,
  type ScriptedChatModel,
} from '@fieldwise/llm/testing';
import { pino } from 'pino';
import { SqliteConversationStore } from '../../src/adapters/conversation-store/sqlite-conversation-store.js';
import {
  createAgentGuardrails,
  createTextRedactor,
} from '../../src/adapters/redaction/text-redactor.js';
import type { ActionDeps } from '../../src/domain/actions/pending-actions.js';
import {
  runTurn,
  type TurnDeps,
  type TurnInput,
} from '../../src/domain/loop/run-turn.js';
import type { TurnEvent } from '../../src/domain/loop/turn-events.js';
import { createToolRegistry } from '../../src/domain/tools/registry.js';
import { FakeCrm, FakeRetrieval } from './fake-crm.js';

export const silentLogger = pino({ level: 'silent' });

export const sellerEast: Principal = {
  userId: 'u-seller-east',
  tenant: 'lumen',
  roles: ['seller'],
  territories: ['amer-east'],
  name: 'Erin East',
};
export const sellerUk: Principal = {
  userId: 'u-seller-uk',
  tenant: 'lumen',
  roles: ['seller'],
  territories: ['emea-uki'],
  name: 'Uma UK',
};
export const auditor: Principal = {
  userId: 'u-auditor',
  tenant: 'lumen',
  roles: ['auditor'],
  territories: [],
};

let authorizer: Authorizer | undefined;
async function sharedAuthorizer(): Promise<Authorizer> {
  authorizer ??= await createAuthorizer({
    policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
    logger: silentLogger,
  });
  return authorizer;
}

/** Everything a domain test needs, wired with fakes and a real SQLite store, authorizer and guardrails. */
export interface Harness {
  readonly deps: TurnDeps;
  readonly actions: ActionDeps;
  readonly model: ScriptedChatModel;
  readonly crm: FakeCrm;
  readonly retrieval: FakeRetrieval;
  /** Moves the clock forward. */
  advance(ms: number): void;
  turn(
    principal: Principal,
    message: string,
    options?: Partial<TurnInput>,
  ): Promise<TurnEvent[]>;
  close(): Promise<void>;
}

export async function createHarness(
  limits: Partial<TurnDeps['limits']> = {},
): Promise<Harness> {
  const store = await SqliteConversationStore.open({
    file: ':memory:',
    logger: silentLogger,
  });
  const guardrails = createAgentGuardrails();
  const redact = createTextRedactor(guardrails);
  const crm = new FakeCrm();
  const retrieval = new FakeRetrieval();
  const model = createScriptedChatModel();
  let now = Date.parse('2026-11-25T10:00:00Z');
  const clock = () => new Date(now);
  const toolDeps = { crm, retrieval, clock };
  const tools = createToolRegistry();
  const authz = await sharedAuthorizer();
  const actions: ActionDeps = {
    store,
    tools,
    toolDeps,
    authorizer: authz,
    clock,
    newId: randomUUID,
    actionTtlMs: 600_000,
    toolTimeoutMs: 2_000,
    redact,
  };
  const deps: TurnDeps = {
    model,
    tools,
    toolDeps,
    authorizer: authz,
    guardrails,
    store,
    actions,
    redact,
    clock,
    newId: randomUUID,
    logger: silentLogger,
    limits: {
      maxToolCalls: 6,
      maxModelCalls: 5,
      toolTimeoutMs: 2_000,
      contextBudgetTokens: 2_000,
      keepRecentMessages: 6,
      ...limits,
    },
  };
  return {
    deps,
    actions,
    model,
    crm,
    retrieval,
    advance: (ms) => {
      now += ms;
    },
    async turn(principal, message, options = {}) {
      const events: TurnEvent[] = [];
      for await (const e of runTurn(deps, {
        principal,
        message,
        mode: 'stream',
        signal: new AbortController().signal,
        deadline: new Date(Date.now() + 30_000),
        ...options,
      }))
        events.push(e);
      return events;
    },
    close: () => store.close(),
  };
}

/** A scripted tool call event. */
export function toolCall(name: string, args: unknown, id = `call-${name}`) {
  return {
    type: 'tool-call' as const,
    id,
    name,
    arguments: args,
    rawArguments: JSON.stringify(args),
  };
}

/** A scripted text event. */
export function text(t: string) {
  return { type: 'text-delta' as const, text: t };
}

/** The final event of a turn, or a failure naming the turn's error. */
export function finalOf(events: readonly TurnEvent[]) {
  const last = events.at(-1);
  if (last?.type !== 'final')
    throw new Error(`turn did not finish: ${JSON.stringify(last)}`);
  return last.final;
}
