import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthorizer, DEFAULT_POLICY_PATH } from '@fieldwise/authz';
import type { Principal } from '@fieldwise/principal';
import { pino } from 'pino';
import {
  startCrm,
  type CrmUnderTest,
} from '../../../../crm-service/test/handlers/harness.js';
import {
  DEFAULT_REFERENCE_DATE,
  DEFAULT_SEED,
  generateGoldDataset,
  parseDomainVocabulary,
  type GoldDataset,
} from '../../../../crm-service/src/domain/index.js';
import {
  startRetrievalForTest,
  type RetrievalUnderTest,
} from '../../../../retrieval-service/test/handlers/retrieval-test-service.js';
import { SqliteConversationStore } from '../../../src/adapters/conversation-store/sqlite-conversation-store.js';
import { GrpcCrmTools } from '../../../src/adapters/crm-tools/grpc-crm-tools.js';
import {
  createAgentGuardrails,
  createTextRedactor,
} from '../../../src/adapters/redaction/text-redactor.js';
import { GrpcRetrievalTools } from '../../../src/adapters/retrieval-tools/grpc-retrieval-tools.js';
import type { ActionDeps } from '../../../src/domain/actions/pending-actions.js';
import { runTurn, type TurnDeps } from '../../../src/domain/loop/run-turn.js';
import type { TurnEvent } from '../../../src/domain/loop/turn-events.js';
import {
  createCrmEntityResolver,
  createOfflinePlanner,
} from '../../../src/domain/planner/index.js';
import {
  createToolRegistry,
  type ToolRegistry,
} from '../../../src/domain/tools/registry.js';
import type { ToolDeps } from '../../../src/domain/tools/tool.js';

/** The repository root. */
export const REPO_ROOT = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
);

/** A logger that never prints. */
export const silentLogger = pino({ level: 'silent' });

/** The GOLD dataset's "today" (noon UTC). */
export const GOLD_TODAY = new Date(`${DEFAULT_REFERENCE_DATE}T12:00:00.000Z`);

/** One turn's outcome as the agent reports it. */
export interface TurnOutcome {
  readonly answer: string;
  readonly toolCalls: readonly {
    readonly name: string;
    readonly arguments: Record<string, unknown>;
    readonly status: string;
  }[];
  readonly model: { readonly provider: string; readonly name: string };
  readonly events: readonly TurnEvent[];
}

/**
 * The whole assistant on the offline planner: the real CRM service (GOLD
 * data seeded into SQLite in a temp dir) and the real retrieval service
 * (data/collateral ingested) on free ports, the agent's gRPC tool
 * adapters, tool registry, loop, guardrails and authz policy.
 */
export interface FullStack {
  readonly data: GoldDataset;
  /** The agent's tools and their deps (the gRPC adapters), for direct calls. */
  readonly tools: ToolRegistry;
  readonly toolDeps: ToolDeps;
  /** The principal of a seeded user, as the gateway would build it. */
  principalOf(tenant: string, userId: string): Principal;
  /** Runs one turn (a new conversation unless `conversationId` is given). */
  turn(
    principal: Principal,
    message: string,
    conversationId?: string,
  ): Promise<TurnOutcome & { conversationId: string }>;
  close(): Promise<void>;
}

/** Starts {@link FullStack}; takes a few seconds (seeding and ingestion). */
export async function startFullStack(): Promise<FullStack> {
  const vocabulary = parseDomainVocabulary(
    JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'domain.json'), 'utf8')),
  );
  const data = generateGoldDataset(vocabulary, {
    seed: DEFAULT_SEED,
    referenceDate: DEFAULT_REFERENCE_DATE,
  });
  const [crm, retrieval]: [CrmUnderTest, RetrievalUnderTest] =
    await Promise.all([startCrm(data), startRetrievalForTest()]);
  const crmTools = new GrpcCrmTools(crm.client, {
    tokenFor: (p) => crm.service.sign(p),
  });
  const retrievalTools = new GrpcRetrievalTools(retrieval.client, {
    tokenFor: (p) => retrieval.service.sign(p),
  });
  const store = await SqliteConversationStore.open({
    file: ':memory:',
    logger: silentLogger,
  });
  const guardrails = createAgentGuardrails();
  const redact = createTextRedactor(guardrails);
  const authorizer = await createAuthorizer({
    policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
    logger: silentLogger,
  });
  const clock = () => GOLD_TODAY;
  const toolDeps = { crm: crmTools, retrieval: retrievalTools, clock };
  const tools = createToolRegistry();
  const actions: ActionDeps = {
    store,
    tools,
    toolDeps,
    authorizer,
    clock,
    newId: randomUUID,
    actionTtlMs: 600_000,
    toolTimeoutMs: 10_000,
    redact,
  };
  const toolSpecs = [...tools.values()].map((t) => ({
    name: t.name,
    description: t.description,
    examples: t.examples,
  }));
  return {
    data,
    tools,
    toolDeps,
    principalOf(tenant, userId) {
      const user = data.users.find(
        (u) => u.tenantId === tenant && u.id === userId,
      );
      if (!user) throw new Error(`unknown seeded user ${userId}`);
      return {
        tenant,
        userId,
        roles: [user.role],
        territories: [...user.territories],
        name: user.name,
      };
    },
    async turn(principal, message, conversationId) {
      const deadline = new Date(Date.now() + 60_000);
      const resolver = createCrmEntityResolver({
        crm: crmTools,
        call: () => ({
          principal,
          signal: new AbortController().signal,
          deadline,
        }),
      });
      const model = createOfflinePlanner({
        resolver,
        today: clock,
        tools: toolSpecs,
      });
      const deps: TurnDeps = {
        model,
        tools,
        toolDeps,
        authorizer,
        guardrails,
        store,
        actions,
        redact,
        clock,
        newId: randomUUID,
        logger: silentLogger,
        limits: {
          maxToolCalls: 8,
          maxModelCalls: 6,
          toolTimeoutMs: 10_000,
          contextBudgetTokens: 8_000,
          keepRecentMessages: 8,
        },
      };
      const events: TurnEvent[] = [];
      for await (const e of runTurn(deps, {
        principal,
        message,
        mode: 'complete',
        signal: new AbortController().signal,
        deadline,
        ...(conversationId === undefined ? {} : { conversationId }),
      })) {
        events.push(e);
      }
      const last = events.at(-1);
      if (last?.type !== 'final')
        throw new Error(`turn did not finish: ${JSON.stringify(last)}`);
      const final = last.final;
      return {
        answer: final.answer,
        conversationId: final.conversationId,
        toolCalls: final.toolCalls.map((c) => ({
          name: c.name,
          arguments: JSON.parse(c.argumentsJson || '{}') as Record<
            string,
            unknown
          >,
          status: c.status,
        })),
        model: final.model,
        events,
      };
    },
    async close() {
      await store.close();
      await Promise.all([crm.stop(), retrieval.stop()]);
    },
  };
}
