import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentServiceService,
  CrmEntityType,
  CrmServiceService,
  PendingActionStatus,
  type ChatResponse,
  type FinalAnswer,
} from '@fieldwise/contracts';
import { SqliteOutbox } from '@fieldwise/events';
import { GrpcCallError } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import { createScriptedChatModel } from '@fieldwise/llm/testing';
import type { Principal } from '@fieldwise/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real crm-service, started in-process exactly as its main.ts wires it (tests may import across apps; sources may not).
import { SqliteCrmStore } from '../../../crm-service/src/adapters/store/sqlite-crm-store.js';
import {
  DEFAULT_DOMAIN_FILE,
  loadVocabulary,
} from '../../../crm-service/src/cli/args.js';
import { loadCrmConfig } from '../../../crm-service/src/config.js';
import {
  buildCrmServices,
  referenceClock,
  seedGoldIfEmpty,
} from '../../../crm-service/src/server.js';
import { createAgentApp, type AgentApp } from '../../src/app.js';
import { loadAgentConfig } from '../../src/config.js';
import { silentLogger, text, toolCall } from '../helpers/harness.js';

const REFERENCE_DATE = '2026-11-25';
const sellerEast: Principal = {
  userId: 'usr-lumen-seller-01',
  tenant: 'lumen',
  roles: ['seller'],
  territories: ['amer-east'],
  name: 'East Seller',
};
const admin: Principal = {
  userId: 'usr-lumen-admin-01',
  tenant: 'lumen',
  roles: ['admin'],
  territories: [],
};

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrpcCallError) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('agent-service against the real crm-service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-agent-crm-'));
  const model = createScriptedChatModel({ name: 'scripted-crm' });
  let crm: ServiceUnderTest;
  let agent: ServiceUnderTest;
  let app: AgentApp | undefined;
  let contosoId = '';
  let acmeOpportunityId = '';

  beforeAll(async () => {
    const store = await SqliteCrmStore.open({ dataDir, logger: silentLogger });
    await seedGoldIfEmpty(
      store,
      loadVocabulary(DEFAULT_DOMAIN_FILE),
      { referenceDate: REFERENCE_DATE },
      silentLogger,
    );
    const outbox = SqliteOutbox.open({
      dataDir,
      fileName: 'crm-outbox.sqlite',
      logger: silentLogger,
    });
    const base = {
      FIELDWISE_DATA_DIR: dataDir,
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    crm = await startServiceForTest({
      name: 'crm',
      config: loadCrmConfig(base),
      services: ({ logger }) =>
        Promise.resolve(
          buildCrmServices({
            store,
            outbox,
            vocabulary: loadVocabulary(DEFAULT_DOMAIN_FILE),
            clock: referenceClock(REFERENCE_DATE),
            logger,
          }),
        ),
      onShutdown: async () => {
        outbox.close();
        await store.close();
      },
    });
    const config = loadAgentConfig({
      ...base,
      CRM_SERVICE_ADDR: crm.address,
      RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
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
    const crmClient = crm.client(CrmServiceService);
    const asAdmin = { principalToken: await crm.sign(admin) };
    const contoso = await crmClient.findAccounts(
      { query: 'Contoso Bank', ownerUserId: '', domain: '', page: undefined },
      asAdmin,
    );
    contosoId = contoso.accounts.find(
      (m) => m.account?.name === 'Contoso Bank',
    )!.account!.id;
    const acme = await crmClient.findAccounts(
      {
        query: 'Acme Corporation',
        ownerUserId: '',
        domain: '',
        page: undefined,
      },
      asAdmin,
    );
    const acmeId = acme.accounts.find(
      (m) => m.account?.name === 'Acme Corporation',
    )!.account!.id;
    const view = await crmClient.getAccount360({ accountId: acmeId }, asAdmin);
    acmeOpportunityId = view.openOpportunities[0]!.id;
  }, 180_000);

  afterAll(async () => {
    await agent?.stop();
    await crm?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function chat(
    principal: Principal,
    message: string,
  ): Promise<FinalAnswer> {
    const events: ChatResponse[] = [];
    const client = agent.client(AgentServiceService);
    for await (const e of client.chat(
      { message, conversationId: '', accountId: '', model: '', evalRunId: '' },
      { principalToken: await agent.sign(principal) },
    ))
      events.push(e);
    const last = events.at(-1)?.event;
    if (last?.$case !== 'final')
      throw new Error(`turn failed: ${JSON.stringify(last)}`);
    return last.value;
  }

  it('a seller gets nothing about an account outside their territory, through any tool', async () => {
    model.enqueue(
      [
        toolCall('find_accounts', { query: 'Contoso Bank' }, 'a'),
        toolCall('account_360', { accountId: contosoId }, 'b'),
        toolCall('product_consumption', { accountId: contosoId }, 'c'),
        toolCall('support_cases', { accountId: contosoId }, 'd'),
        toolCall('similar_customers', { accountId: contosoId }, 'e'),
        toolCall('hygiene_alerts', { accountId: contosoId }, 'f'),
        toolCall('draft_email', { accountId: contosoId }, 'g'),
        toolCall('create_proposal', { accountId: contosoId }, 'h'),
      ],
      [text('Nothing I can show.')],
    );
    const final = await chat(sellerEast, 'Everything about Contoso Bank');
    const seen = JSON.stringify(
      model.requests.at(-1)!.messages.filter((m) => m.role === 'tool'),
    );
    expect(seen).not.toMatch(/Contoso Bank|contosobank/i);
    expect(final.toolCalls.slice(1).map((c) => c.errorCode)).toEqual(
      Array(7).fill('NOT_FOUND'),
    );
    expect(final.pendingActions).toEqual([]);
  });

  it('executes a confirmed field change once, and reports a changed record as CONFLICT', async () => {
    const client = agent.client(AgentServiceService);
    const as = async () => ({ principalToken: await agent.sign(sellerEast) });
    const propose = () =>
      model.enqueue(
        [
          toolCall('update_crm_field', {
            entityType: 'opportunity',
            entityId: acmeOpportunityId,
            field: 'next_step',
            newValue: `Exec sponsor call ${Date.now()}`,
          }),
        ],
        [text('Confirm?')],
      );
    propose();
    const first = await chat(
      sellerEast,
      'Update the next step on the Acme opportunity',
    );
    const actionId = first.pendingActions[0]!.id;
    const confirmed = await client.confirmAction({ actionId }, await as());
    expect(confirmed.action?.status).toBe(PendingActionStatus.EXECUTED);
    expect(await code(client.confirmAction({ actionId }, await as()))).toBe(
      'ACTION_ALREADY_DECIDED',
    );

    propose();
    const second = await chat(sellerEast, 'Update the next step again');
    // Someone else changes the record between proposal and confirmation.
    const crmClient = crm.client(CrmServiceService);
    const asAdmin = { principalToken: await crm.sign(admin) };
    const current = await crmClient.getOpportunity(
      { opportunityId: acmeOpportunityId },
      asAdmin,
    );
    await crmClient.updateField(
      {
        entityType: CrmEntityType.OPPORTUNITY,
        entityId: acmeOpportunityId,
        field: 'close_date',
        newValue: '2027-02-01',
        expectedVersion: current.opportunity!.version,
        idempotencyKey: `it-${Date.now()}`,
      },
      asAdmin,
    );
    const conflicted = await client.confirmAction(
      { actionId: second.pendingActions[0]!.id },
      await as(),
    );
    expect(conflicted.errorCode).toBe('CONFLICT');
    expect(conflicted.action?.status).toBe(PendingActionStatus.FAILED);
  });

  it('without a configured model, answers with the offline planner as the user', async () => {
    const config = loadAgentConfig({
      FIELDWISE_DATA_DIR: dataDir,
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
      CRM_SERVICE_ADDR: crm.address,
      RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
    });
    let offlineApp: AgentApp | undefined;
    const offline = await startServiceForTest({
      name: 'agent',
      config,
      services: async (runtime) => {
        offlineApp = await createAgentApp(config, runtime);
        return offlineApp.services;
      },
      onShutdown: async () => {
        await offlineApp?.close();
      },
    });
    try {
      const client = offline.client(AgentServiceService);
      const token = { principalToken: await offline.sign(sellerEast) };
      const models = await client.listModels({}, token);
      expect(models.models[0]?.ref).toMatchObject({
        provider: 'offline',
        offline: true,
      });
      expect(models.models[0]?.supportsFunctionCalling).toBe(false);
      const events: ChatResponse[] = [];
      for await (const e of client.chat(
        {
          message: 'What should I know before my call with Acme Corporation?',
          conversationId: '',
          accountId: '',
          model: '',
          evalRunId: '',
        },
        token,
      ))
        events.push(e);
      const last = events.at(-1)?.event;
      if (last?.$case !== 'final')
        throw new Error(`turn failed: ${JSON.stringify(last)}`);
      expect(last.value.model?.offline).toBe(true);
      expect(last.value.toolCalls.map((c) => c.name)).toContain('account_360');
      expect(last.value.answer).toContain('Acme');
    } finally {
      await offline.stop();
    }
  });
});
