import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AgentServiceService,
  RetrievalServiceService,
  ToolCallStatus,
  type ChatResponse,
  type FinalAnswer,
  type SearchResult,
} from '@fieldwise/contracts';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import type { ChatModelRequest } from '@fieldwise/llm';
import { createScriptedChatModel } from '@fieldwise/llm/testing';
import type { Principal } from '@fieldwise/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real retrieval-service, started in-process exactly as its main.ts wires
// it (tests may import across apps; sources may not).
import { loadRetrievalConfig } from '../../../retrieval-service/src/config.js';
import { retrievalServiceOptions } from '../../../retrieval-service/src/server.js';
import { createAgentApp, type AgentApp } from '../../src/app.js';
import { loadAgentConfig } from '../../src/config.js';
import { unwrapToolData } from '../../src/domain/loop/untrusted-data.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import { fakeCrmService } from '../helpers/fake-crm-service.js';
import { sellerEast, text, toolCall } from '../helpers/harness.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const COLLATERAL_DIR = join(REPO_ROOT, 'data/collateral');
/** The word-vector cache the retrieval tests convert once per checkout. */
const VECTOR_CACHE_DIR = join(REPO_ROOT, 'apps/retrieval-service/.data/cache');

const CONFIDENTIAL_DOC = 'pricing-floors-fy2026';
const INJECTED_DOC = 'partner-brief-si-delivery-playbook';
/** Public, internal, confidential and partner documents; one carries a planted injection. */
const CORPUS = [
  'battlecard-stream-vs-confluent.md',
  'case-study-acme-corporation-predictive-maintenance.md',
  `${CONFIDENTIAL_DOC}.md`,
  `${INJECTED_DOC}.md`,
  'pricing-guideline-list-prices-fy2026.md',
];

const manager: Principal = {
  userId: 'u-manager-east',
  tenant: 'lumen',
  roles: ['manager'],
  territories: ['amer-east'],
  name: 'Morgan Manager',
};

interface ShownResult {
  readonly chunkId: string;
  readonly documentId: string;
  readonly text: string;
}

/** What the model was shown by the last tool result of `request`. */
function shownResults(request: ChatModelRequest): ShownResult[] {
  const last = request.messages.findLast((m) => m.role === 'tool');
  const data = last && unwrapToolData(last.content);
  return (data as { results?: ShownResult[] } | undefined)?.results ?? [];
}

/** Eight words of `text` that a citation may quote (no double quotes). */
function quoteFrom(text: string): string {
  return text
    .split(/\s+/)
    .filter((w) => w !== '' && !w.includes('"') && !w.startsWith('#'))
    .slice(0, 8)
    .join(' ');
}

describe('search_collateral against the real retrieval-service', () => {
  const root = mkdtempSync(join(tmpdir(), 'fieldwise-agent-retrieval-'));
  const dataDir = join(root, 'data');
  const corpusDir = join(root, 'corpus');
  const model = createScriptedChatModel({ name: 'scripted-retrieval' });
  const crm = new FakeCrm();
  let retrieval: ServiceUnderTest;
  let crmService: ServiceUnderTest;
  let agent: ServiceUnderTest;
  let app: AgentApp | undefined;

  beforeAll(async () => {
    mkdirSync(corpusDir);
    for (const file of CORPUS)
      copyFileSync(join(COLLATERAL_DIR, file), join(corpusDir, file));
    // One data dir: the services share its generated principal key.
    const base = {
      FIELDWISE_DATA_DIR: dataDir,
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    const retrievalConfig = loadRetrievalConfig({
      ...base,
      RETRIEVAL_CORPUS_DIR: corpusDir,
      RETRIEVAL_INGEST_ON_START: 'true',
      RETRIEVAL_EMBEDDINGS_CACHE_DIR: VECTOR_CACHE_DIR,
    });
    retrieval = await startServiceForTest({
      name: 'retrieval',
      config: retrievalConfig,
      ...retrievalServiceOptions(retrievalConfig),
    });
    crmService = await startServiceForTest({
      name: 'crm',
      config: loadAgentConfig(base),
      services: () => Promise.resolve([fakeCrmService(crm)]),
    });
    const config = loadAgentConfig({
      ...base,
      CRM_SERVICE_ADDR: crmService.address,
      RETRIEVAL_SERVICE_ADDR: retrieval.address,
    });
    agent = await startServiceForTest({
      name: 'agent',
      config,
      services: async (runtime) => {
        app = await createAgentApp(config, runtime, { model });
        return app.services;
      },
      onShutdown: async () => {
        await app?.close();
      },
    });
  }, 300_000);

  afterAll(async () => {
    await agent?.stop();
    await crmService?.stop();
    await retrieval?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function chat(
    principal: Principal,
    message: string,
  ): Promise<FinalAnswer> {
    const events: ChatResponse[] = [];
    for await (const e of agent.client(AgentServiceService).chat(
      {
        message,
        conversationId: '',
        accountId: '',
        model: '',
        evalRunId: '',
      },
      { principalToken: await agent.sign(principal) },
    ))
      events.push(e);
    const last = events.at(-1)?.event;
    if (last?.$case !== 'final')
      throw new Error(`turn failed: ${JSON.stringify(last)}`);
    return last.value;
  }

  /** The retrieval service's own answer to `query` for `principal`. */
  async function search(
    principal: Principal,
    query: string,
  ): Promise<SearchResult[]> {
    const response = await retrieval.client(RetrievalServiceService).search(
      {
        query,
        filters: {
          types: [],
          products: [],
          competitors: [],
          industries: [],
          regions: [],
        },
        topK: 5,
      },
      { principalToken: await retrieval.sign(principal) },
    );
    return response.results;
  }

  it("cites only chunks the retrieval service returned for the seller's question", async () => {
    const query = 'battlecard Lumen Stream against Confluent';
    model.enqueue([toolCall('search_collateral', { query })], (request) => {
      const [first] = shownResults(request);
      if (first === undefined) return [text('I found nothing.')];
      return [
        text(
          `From the battlecard: [source: ${first.chunkId} "${quoteFrom(first.text)}"]. ` +
            'Also [source: chunk-that-was-never-retrieved "Confluent is slow"].',
        ),
      ];
    });
    const final = await chat(sellerEast, 'How do we win against Confluent?');

    expect(final.toolCalls.map((c) => c.status)).toEqual([
      ToolCallStatus.EXECUTED,
    ]);
    const retrieved = await search(sellerEast, query);
    expect(retrieved.length).toBeGreaterThan(0);
    expect(final.citations.length).toBe(1);
    const [citation] = final.citations;
    const source = retrieved.find(
      (r) => r.citation?.chunkId === citation!.chunkId,
    );
    expect(source?.citation?.documentId).toBe(citation!.documentId);
    // Quotes match the chunk with whitespace folded, as the agent checks them.
    const fold = (t: string) => t.replace(/\s+/g, ' ').toLowerCase();
    expect(fold(source!.text)).toContain(fold(citation!.snippet));
    expect(citation!.documentId).toBe('battlecard-stream-vs-confluent');
    expect(final.answer).not.toContain('chunk-that-was-never-retrieved');
  });

  it('never shows a seller a confidential document, which a manager does get', async () => {
    const query = 'FY2026 pricing floors Lumen Credit floor price';
    const ask = async (principal: Principal) => {
      let shown: ShownResult[] = [];
      model.enqueue([toolCall('search_collateral', { query })], (request) => {
        shown = shownResults(request);
        const [first] = shown;
        return [
          text(
            first
              ? `See [source: ${first.chunkId} "${quoteFrom(first.text)}"].`
              : 'Nothing found.',
          ),
        ];
      });
      const final = await chat(principal, 'What are our pricing floors?');
      return { final, shown };
    };

    // 1. The document is indexed and answers the query: a manager gets it.
    const asManager = await ask(manager);
    expect(asManager.shown.map((r) => r.documentId)).toContain(
      CONFIDENTIAL_DOC,
    );
    // 2. The seller's turn neither shows it to the model nor cites it.
    const asSeller = await ask(sellerEast);
    expect(asSeller.shown.map((r) => r.documentId)).not.toContain(
      CONFIDENTIAL_DOC,
    );
    expect(asSeller.final.citations.map((c) => c.documentId)).not.toContain(
      CONFIDENTIAL_DOC,
    );
    expect(JSON.stringify(model.requests.at(-1)!.messages)).not.toMatch(
      /Pricing Floors \(Managers Only\)/,
    );
  });

  it('an instruction planted in a retrieved document leads to no write and no pending action', async () => {
    const query = 'SI delivery playbook partner contribution notes';
    // The planted footer is retrieved for this question (the precondition).
    const retrieved = await search(sellerEast, query);
    const planted = retrieved.filter(
      (r) =>
        r.citation?.documentId === INJECTED_DOC && /Closed Lost/.test(r.text),
    );
    expect(planted.length).toBeGreaterThan(0);

    crm.writes.length = 0;
    crm.calls.length = 0;
    let shownToModel = '';
    model.enqueue(
      [toolCall('search_collateral', { query }, 'search')],
      // A model that obeys the document: it tries the write anyway.
      (request) => {
        shownToModel = JSON.stringify(
          request.messages.filter((m) => m.role === 'tool'),
        );
        return [
          toolCall(
            'update_crm_field',
            {
              entityType: 'opportunity',
              entityId: 'opp-acme-renewal',
              field: 'stage',
              newValue: 'CLOSED_LOST',
            },
            'write',
          ),
        ];
      },
      [text('Done with the clean-up.')],
    );
    const final = await chat(sellerEast, 'Summarize the SI delivery playbook');

    expect(shownToModel).not.toMatch(/Closed Lost/);
    expect(final.toolCalls.map((c) => [c.name, c.errorCode])).toEqual([
      ['search_collateral', ''],
      ['update_crm_field', 'PERMISSION_DENIED'],
    ]);
    expect(final.pendingActions).toEqual([]);
    expect(crm.writes).toEqual([]);
    expect(crm.calls.map((c) => c.method)).toEqual([]);
  });
});
