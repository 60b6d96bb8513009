// Orchestration overhead of one agent turn against a minimal hand-written
// tool loop over the same in-process scripted model and the same in-process
// tools, in the same run. Two scenarios: one tool, and a three-tool chain.
//
// Both loops make the same model calls (same tool definitions offered, same
// scripted answers) and the same CRM calls with the arguments the model gave.
// The agent side is wired as the service wires a turn: file-backed SQLite
// conversation store and audit outbox in a temp dir, cached tool authz,
// AsyncLocalStorage turn scope, guardrail scans of tool output, redaction
// of everything stored, citations, audit events. Only the gRPC hops are out.
// Measurements alternate between the two loops in rounds, so load on a shared
// machine hits both alike.
// Usage: npx tsx bench/agent/index.ts [--turns N] [--warmup N] [--rounds N]
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createAuthorizer, DEFAULT_POLICY_PATH } from '@fieldwise/authz';
import { SqliteOutbox } from '@fieldwise/events';
import type {
  ChatMessage,
  ChatModel,
  ChatModelEvent,
  ChatTool,
} from '@fieldwise/llm';
import { createScriptedChatModel } from '@fieldwise/llm/testing';
import type { Principal } from '@fieldwise/principal';
import { createToolAuditRecorder } from '../../apps/agent-service/src/adapters/audit/tool-audit-recorder.js';
import { SqliteConversationStore } from '../../apps/agent-service/src/adapters/conversation-store/sqlite-conversation-store.js';
import {
  createAgentGuardrails,
  createTextRedactor,
} from '../../apps/agent-service/src/adapters/redaction/text-redactor.js';
import {
  runTurn,
  type TurnDeps,
} from '../../apps/agent-service/src/domain/loop/run-turn.js';
import type {
  CrmTools,
  DownstreamCall,
  RetrievalTools,
} from '../../apps/agent-service/src/domain/tools/ports.js';
import { cacheToolDecisions } from '../../apps/agent-service/src/domain/tools/permission-cache.js';
import {
  chatToolOf,
  createToolRegistry,
} from '../../apps/agent-service/src/domain/tools/registry.js';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '10' },
  },
});
const TURNS = Number(values.turns);
const WARMUP = Number(values.warmup);
const ROUNDS = Math.max(1, Number(values.rounds));
const logger = pino({ level: 'silent' });

const principal: Principal = {
  userId: 'u-seller-east',
  tenant: 'lumen',
  roles: ['seller'],
  territories: ['amer-east'],
  name: 'Erin East',
};
const summary = {
  id: 'acc-acme',
  name: 'Acme Corporation',
  domain: 'acme.com',
  industry: 'Manufacturing',
  segment: 'Enterprise',
  territory: 'amer-east',
  region: 'AMER',
  ownerUserId: 'u-seller-east',
  ownerName: 'Erin East',
  arr: { currencyCode: 'USD', amountMicros: 1_250_000_000_000 },
};
const account360 = {
  profile: {
    summary,
    country: 'US',
    employeeCount: 12_000,
    description:
      'Industrial manufacturer running streaming and lakehouse workloads.',
    customerSince: '2020-01-01',
    tenant: 'lumen',
  },
  arr: summary.arr,
  openOpportunities: [
    {
      id: 'opp-1',
      accountId: 'acc-acme',
      name: 'Acme renewal',
      stage: 4,
      amount: { currencyCode: 'USD', amountMicros: 250_000_000_000 },
      closeDate: '2026-12-15',
      probability: 60,
      ownerUserId: 'u-seller-east',
      nextStep: 'Pricing review with procurement',
      productLines: ['stream'],
      competitors: ['Confluent'],
      version: 3,
      updatedAt: '2026-11-01T00:00:00Z',
    },
  ],
  topUseCases: [],
  consumption: [],
  openSupportCases: [],
  openCasesBySeverity: [],
  recentNews: [],
  competitors: [],
  asOf: '2026-11-25',
};
const consumption = {
  accountId: 'acc-acme',
  series: [
    {
      productLine: 'stream',
      cloud: 'AWS',
      months: [
        {
          month: '2026-10',
          amount: { currencyCode: 'USD', amountMicros: 80_000_000_000 },
          momGrowth: 0.04,
        },
      ],
    },
  ],
  total: [
    {
      month: '2026-10',
      amount: { currencyCode: 'USD', amountMicros: 80_000_000_000 },
      momGrowth: 0.04,
    },
  ],
};

// In-process tools: answers are ready at once, so the figures are orchestration only.
const crm = {
  findAccounts: () =>
    Promise.resolve({
      accounts: [{ account: summary, score: 1 }],
      page: { nextPageToken: '', totalSize: 1 },
    }),
  getAccount360: () => Promise.resolve(account360),
  getConsumption: () => Promise.resolve(consumption),
} as unknown as CrmTools; // only the three methods the scenarios call
const retrieval: RetrievalTools = {
  search: () => Promise.resolve({ results: [], embeddingModel: 'none' }),
};

type Call = { name: string; args: Record<string, unknown> };
const SCENARIOS: Record<string, Call[]> = {
  'single tool': [{ name: 'account_360', args: { accountId: 'acc-acme' } }],
  'three-tool chain': [
    { name: 'find_accounts', args: { query: 'acme' } },
    { name: 'account_360', args: { accountId: 'acc-acme' } },
    { name: 'product_consumption', args: { accountId: 'acc-acme' } },
  ],
};
const ANSWER =
  'Acme Corporation has one open opportunity, the Acme renewal (USD 250000.00, Proposal), closing 2026-12-15.';

function script(
  model: ReturnType<typeof createScriptedChatModel>,
  calls: Call[],
): void {
  const turns: ChatModelEvent[][] = calls.map((c, i) => [
    {
      type: 'tool-call',
      id: `call-${i}`,
      name: c.name,
      arguments: c.args,
      rawArguments: JSON.stringify(c.args),
    },
  ]);
  turns.push([{ type: 'text-delta', text: ANSWER }]);
  model.enqueue(...turns);
}

/**
 * The baseline: the smallest correct tool loop over the same model and
 * tools. It offers the same tool definitions (converted once, as any loop
 * would), calls the CRM with the arguments the model gave, and sends each
 * result back as JSON.
 */
async function minimalLoop(
  model: ChatModel,
  offered: readonly ChatTool[],
  message: string,
): Promise<string> {
  const handlers: Record<
    string,
    (args: Record<string, unknown>) => Promise<unknown>
  > = {
    find_accounts: (args) =>
      crm.findAccounts(
        {
          query: args['query'] as string,
          ownerUserId: '',
          domain: '',
          page: undefined,
        },
        undefined as never,
      ),
    account_360: (args) =>
      crm.getAccount360(
        { accountId: args['accountId'] as string },
        undefined as never,
      ),
    product_consumption: (args) =>
      crm.getConsumption(
        {
          accountId: args['accountId'] as string,
          fromMonth: '',
          toMonth: '',
          productLines: [],
          clouds: [],
        },
        undefined as never,
      ),
  };
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a sales assistant.' },
    { role: 'user', content: message },
  ];
  for (;;) {
    const result = await model.complete({
      messages,
      tools: offered,
      toolChoice: 'auto',
    });
    if (result.toolCalls.length === 0) return result.text;
    messages.push({
      role: 'assistant',
      toolCalls: result.toolCalls.map((c) => ({
        id: c.id,
        name: c.name,
        rawArguments: c.rawArguments,
      })),
    });
    for (const call of result.toolCalls) {
      const output = await handlers[call.name]!(
        call.arguments as Record<string, unknown>,
      );
      messages.push({
        role: 'tool',
        toolCallId: call.id,
        content: JSON.stringify(output),
      });
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ]!;
}

interface Figures {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

function figures(times: number[]): Figures {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** Runs `turns` timed turns and appends their durations to `into`. */
async function time(
  turn: () => Promise<void>,
  turns: number,
  into: number[],
): Promise<void> {
  for (let i = 0; i < turns; i++) {
    const started = performance.now();
    await turn();
    into.push(performance.now() - started);
    // The scripted model records requests; the service's model does not.
    model.clearRequests();
  }
}

const policy = await createAuthorizer({
  policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
  logger,
});
// As wired in the service: tool decisions memoized per policy version and principal.
const authorizer = cacheToolDecisions(policy);
// As the service keeps them: files under its data dir.
const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-agent-bench-'));
const store = await SqliteConversationStore.open({ dataDir, logger });
const outbox = SqliteOutbox.open({
  dataDir,
  fileName: 'agent-outbox.sqlite',
  // The service's default (AUDIT_OUTBOX_SYNC); FULL adds an fsync per tool call.
  synchronous: 'NORMAL',
  logger,
});
const guardrails = createAgentGuardrails();
const redact = createTextRedactor(guardrails);
const model = createScriptedChatModel({ name: 'bench-scripted' });
const tools = createToolRegistry();
const offered = [...tools.values()].map(chatToolOf);
const clock = () => new Date('2026-11-25T10:00:00Z');
const toolDeps = { crm, retrieval, clock };
const turnCall = new AsyncLocalStorage<DownstreamCall>();
const audit = createToolAuditRecorder({ outbox, redact, logger });
const deps: TurnDeps = {
  model,
  tools,
  toolDeps,
  authorizer,
  guardrails,
  store,
  redact,
  clock,
  newId: randomUUID,
  logger,
  scope: (call, fn) => turnCall.run(call, fn),
  audit,
  actions: {
    store,
    tools,
    toolDeps,
    authorizer,
    clock,
    newId: randomUUID,
    actionTtlMs: 600_000,
    toolTimeoutMs: 5_000,
    redact,
  },
  limits: {
    maxToolCalls: 8,
    maxModelCalls: 6,
    toolTimeoutMs: 5_000,
    contextBudgetTokens: 6_000,
    keepRecentMessages: 8,
  },
};
const signal = new AbortController().signal;
const message = 'What should I know before my call with Acme?';

console.log(
  `agent turn orchestration vs minimal tool loop: ${TURNS} turns (+${WARMUP} warm-up) per loop and scenario, in ${ROUNDS} alternating rounds`,
);
const lines: string[] = [];
for (const [name, calls] of Object.entries(SCENARIOS)) {
  const baselineTurn = async () => {
    script(model, calls);
    const answer = await minimalLoop(model, offered, message);
    if (answer !== ANSWER) throw new Error('baseline answered wrongly');
  };
  const agentTurn = async () => {
    script(model, calls);
    let finished = false;
    for await (const event of runTurn(deps, {
      principal,
      message,
      mode: 'complete',
      signal,
      deadline: new Date(Date.now() + 60_000),
    })) {
      if (event.type === 'error')
        throw new Error(`turn failed: ${event.code} ${event.message}`);
      if (event.type === 'final')
        finished =
          event.final.answer === ANSWER &&
          event.final.toolCalls.length === calls.length &&
          event.final.toolCalls.every((c) => c.status === 'executed');
    }
    if (!finished) throw new Error('turn did not execute its tools');
  };
  const warm: number[] = [];
  await time(baselineTurn, WARMUP, warm);
  await time(agentTurn, WARMUP, warm);
  const baselineTimes: number[] = [];
  const agentTimes: number[] = [];
  const perRound = Math.ceil(TURNS / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    await time(baselineTurn, perRound, baselineTimes);
    await time(agentTurn, perRound, agentTimes);
  }
  const baseline = figures(baselineTimes);
  const agent = figures(agentTimes);
  // Mean ratio (what a busy server pays, tail included) and p50 ratio.
  const ratio = agent.mean / baseline.mean;
  const ratioP50 = agent.p50 / baseline.p50;
  const overheadP50 = agent.p50 - baseline.p50;
  console.log(
    `${name.padEnd(17)} minimal p50 ${baseline.p50.toFixed(3)} ms p99 ${baseline.p99.toFixed(3)} ms | agent p50 ${agent.p50.toFixed(3)} ms p99 ${agent.p99.toFixed(3)} ms | ratio ${ratio.toFixed(2)}x (mean), ${ratioP50.toFixed(2)}x (p50) | overhead p50 ${overheadP50.toFixed(3)} ms`,
  );
  lines.push(
    `${name}: ${ratio.toFixed(2)}x mean, ${ratioP50.toFixed(2)}x p50, +${overheadP50.toFixed(3)} ms p50`,
  );
}
// Audit appends run after their tool call; let the last ones land.
await new Promise((resolve) => setTimeout(resolve, 50));
audit.flush();
await store.close();
outbox.close();
policy.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(
  `agent bench: ${lines.join('; ')} (aim <= 4x and <= 1 ms p50 overhead)`,
);
