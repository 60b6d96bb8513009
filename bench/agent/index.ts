// Orchestration overhead of one agent turn (authz, argument validation,
// deadlines, guardrail scans of tool output, redaction, citations,
// conversation storage in SQLite, events) against a minimal hand-written
// tool loop over the same in-process scripted model and the same in-process
// tools, in the same run. Two scenarios: one tool, and a three-tool chain.
// Usage: npx tsx bench/agent/index.ts [--turns N] [--warmup N]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createAuthorizer, DEFAULT_POLICY_PATH } from '@fieldwise/authz';
import type { ChatMessage, ChatModel, ChatModelEvent } from '@fieldwise/llm';
import { createScriptedChatModel } from '@fieldwise/llm/testing';
import type { Principal } from '@fieldwise/principal';
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
  RetrievalTools,
} from '../../apps/agent-service/src/domain/tools/ports.js';
import { cacheToolDecisions } from '../../apps/agent-service/src/domain/tools/permission-cache.js';
import { createToolRegistry } from '../../apps/agent-service/src/domain/tools/registry.js';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '300' },
  },
});
const TURNS = Number(values.turns);
const WARMUP = Number(values.warmup);
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

/** The baseline: the smallest correct tool loop over the same model and tools. */
async function minimalLoop(model: ChatModel, message: string): Promise<string> {
  const handlers: Record<
    string,
    (args: Record<string, unknown>) => Promise<unknown>
  > = {
    find_accounts: () =>
      crm.findAccounts(
        { query: 'acme', ownerUserId: '', domain: '', page: undefined },
        undefined as never,
      ),
    account_360: () =>
      crm.getAccount360({ accountId: 'acc-acme' }, undefined as never),
    product_consumption: () =>
      crm.getConsumption(
        {
          accountId: 'acc-acme',
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
    const result = await model.complete({ messages });
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

async function measure(
  turn: () => Promise<void>,
): Promise<{ p50: number; p99: number; mean: number }> {
  for (let i = 0; i < WARMUP; i++) await turn();
  const times: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const started = performance.now();
    await turn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

const policy = await createAuthorizer({
  policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
  logger,
});
// As wired in the service: tool decisions memoized per policy version and principal.
const authorizer = cacheToolDecisions(policy);
const store = await SqliteConversationStore.open({ file: ':memory:', logger });
const guardrails = createAgentGuardrails();
const redact = createTextRedactor(guardrails);
const model = createScriptedChatModel({ name: 'bench-scripted' });
const tools = createToolRegistry();
const clock = () => new Date('2026-11-25T10:00:00Z');
const toolDeps = { crm, retrieval, clock };
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
  `agent turn orchestration vs minimal tool loop: ${TURNS} turns (+${WARMUP} warm-up) per measurement`,
);
const lines: string[] = [];
for (const [name, calls] of Object.entries(SCENARIOS)) {
  const baseline = await measure(async () => {
    script(model, calls);
    const answer = await minimalLoop(model, message);
    if (answer !== ANSWER) throw new Error('baseline answered wrongly');
  });
  const agent = await measure(async () => {
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
        finished = event.final.toolCalls.every((c) => c.status === 'executed');
    }
    if (!finished) throw new Error('turn did not execute its tools');
  });
  const ratio = agent.mean / baseline.mean;
  const overheadP50 = agent.p50 - baseline.p50;
  console.log(
    `${name.padEnd(17)} minimal p50 ${baseline.p50.toFixed(3)} ms p99 ${baseline.p99.toFixed(3)} ms | agent p50 ${agent.p50.toFixed(3)} ms p99 ${agent.p99.toFixed(3)} ms | ratio ${ratio.toFixed(2)}x | overhead p50 ${overheadP50.toFixed(3)} ms`,
  );
  lines.push(
    `${name}: ${ratio.toFixed(2)}x, +${overheadP50.toFixed(3)} ms p50`,
  );
}
await store.close();
policy.close();
console.log(
  `agent bench: ${lines.join('; ')} (aim <= 4x and <= 1 ms p50 overhead)`,
);
