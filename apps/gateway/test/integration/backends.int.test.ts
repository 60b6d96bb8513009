import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CrmServiceService, type User } from '@fieldwise/contracts';
import { SqliteOutbox } from '@fieldwise/events';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import { createPrincipalSigner } from '@fieldwise/principal';
// The real crm-service and retrieval-service, started in-process as their
// main.ts wires them (tests may import across apps; sources may not).
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
import { loadRetrievalConfig } from '../../../retrieval-service/src/config.js';
import { retrievalServiceOptions } from '../../../retrieval-service/src/server.js';
import { GrpcCrmClient } from '../../src/clients/crm-client.js';
import { GrpcRetrievalClient } from '../../src/clients/retrieval-client.js';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import { UNLIMITED_ENV } from '../helpers/fake-backends.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const REFERENCE_DATE = '2026-11-25';
// Collateral subset: internal and public documents, and two confidential
// ones (managers and admins only) that answer pricing questions.
const CORPUS = [
  'battlecard-stream-vs-confluent.md',
  'case-study-acme-corporation-predictive-maintenance.md',
  'pricing-floors-fy2026.md',
  'deal-desk-notes-snowflake-competitive.md',
  'partner-brief-aws-marketplace.md',
];
const CONFIDENTIAL = new Set([
  'pricing-floors-fy2026',
  'deal-desk-notes-snowflake-competitive',
]);

const SELLER = 'usr-lumen-seller-01';
const MANAGER = 'usr-lumen-manager-01';
const ADMIN = 'usr-lumen-admin-01';
const CONTENT_MANAGER = 'usr-lumen-content-01';
const OTHER_TENANT_SELLER = 'usr-northstar-seller-01';

interface AccountItem {
  id: string;
  name: string;
  territory: string;
}
interface SearchResults {
  results: { citation: { documentId: string; snippet: string } }[];
}

describe('the gateway against the real crm-service and retrieval-service', () => {
  const root = mkdtempSync(join(tmpdir(), 'fieldwise-gateway-e2e-'));
  const logger = pino({ level: 'silent' });
  const key = new Uint8Array(randomBytes(32));
  let crm: ServiceUnderTest;
  let retrieval: ServiceUnderTest;
  let crmClient: GrpcCrmClient;
  let retrievalClient: GrpcRetrievalClient;
  let gateway: TestGateway;
  let sellerUser: User;

  beforeAll(async () => {
    const crmDir = join(root, 'crm');
    mkdirSync(crmDir);
    const base = {
      GRPC_PORT: '0',
      LOG_LEVEL: 'silent',
      FIELDWISE_PRINCIPAL_KEY: Buffer.from(key).toString('base64'),
    };
    const store = await SqliteCrmStore.open({ dataDir: crmDir, logger });
    await seedGoldIfEmpty(
      store,
      loadVocabulary(DEFAULT_DOMAIN_FILE),
      { referenceDate: REFERENCE_DATE },
      logger,
    );
    const outbox = SqliteOutbox.open({
      dataDir: crmDir,
      fileName: 'crm-outbox.sqlite',
      logger,
    });
    crm = await startServiceForTest({
      name: 'crm',
      config: loadCrmConfig({ ...base, FIELDWISE_DATA_DIR: crmDir }),
      services: ({ logger: serviceLogger }) =>
        Promise.resolve(
          buildCrmServices({
            store,
            outbox,
            vocabulary: loadVocabulary(DEFAULT_DOMAIN_FILE),
            clock: referenceClock(REFERENCE_DATE),
            logger: serviceLogger,
          }),
        ),
      onShutdown: async () => {
        outbox.close();
        await store.close();
      },
    });

    const corpusDir = join(root, 'corpus');
    mkdirSync(corpusDir);
    for (const file of CORPUS) {
      copyFileSync(
        join(REPO_ROOT, 'data/collateral', file),
        join(corpusDir, file),
      );
    }
    const retrievalConfig = loadRetrievalConfig({
      ...base,
      FIELDWISE_DATA_DIR: join(root, 'retrieval'),
      RETRIEVAL_CORPUS_DIR: corpusDir,
      RETRIEVAL_INGEST_ON_START: 'true',
      // The converted word vectors shared by every test run of the checkout.
      RETRIEVAL_EMBEDDINGS_CACHE_DIR: join(
        REPO_ROOT,
        'apps/retrieval-service/.data/cache',
      ),
    });
    retrieval = await startServiceForTest({
      name: 'retrieval',
      config: retrievalConfig,
      ...retrievalServiceOptions(retrievalConfig),
    });

    const options = { deadlineMs: 10_000, logger };
    crmClient = new GrpcCrmClient(crm.address, options);
    retrievalClient = new GrpcRetrievalClient(retrieval.address, options);
    gateway = await buildTestGateway(
      echoIdentity,
      {
        signer: createPrincipalSigner({ key }),
        crm: crmClient,
        retrieval: retrievalClient,
      },
      { env: UNLIMITED_ENV },
    );

    const directory = crm.client(CrmServiceService);
    const asAdmin = {
      principalToken: await crm.sign({
        userId: ADMIN,
        tenant: 'lumen',
        roles: ['admin'],
        territories: [],
      }),
    };
    const found = await directory.getUser({ userId: SELLER }, asAdmin);
    if (!found.user) throw new Error(`no seeded user ${SELLER}`);
    sellerUser = found.user;
  }, 240_000);

  afterAll(async () => {
    await gateway?.app.close();
    crmClient?.close();
    retrievalClient?.close();
    await crm?.stop();
    await retrieval?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function as(
    userId: string,
    role: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) {
    const tenant = userId.split('-')[1] ?? 'lumen';
    const token = await gateway.token({ sub: userId, tenant, roles: [role] });
    return gateway.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  }

  async function allAccounts(
    userId: string,
    role: string,
  ): Promise<AccountItem[]> {
    const items: AccountItem[] = [];
    let pageToken = '';
    do {
      const response = await as(
        userId,
        role,
        'GET',
        `/v1/accounts?pageSize=500${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{
        items: AccountItem[];
        nextPageToken: string | null;
      }>();
      items.push(...page.items);
      pageToken = page.nextPageToken ?? '';
    } while (pageToken !== '');
    return items;
  }

  describe('accounts', () => {
    it('a seller sees only accounts of their territories; another id is 404', async () => {
      const mine = await allAccounts(SELLER, 'seller');
      const everyone = await allAccounts(ADMIN, 'admin');
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.length).toBeLessThan(everyone.length);
      for (const account of mine) {
        expect(sellerUser.territories).toContain(account.territory);
      }

      const own = mine[0]!;
      const ownView = await as(
        SELLER,
        'seller',
        'GET',
        `/v1/accounts/${own.id}`,
      );
      expect(ownView.statusCode, ownView.body).toBe(200);
      expect(ownView.json()).toMatchObject({
        account: { id: own.id, name: own.name },
      });

      const foreign = everyone.find(
        (a) => !sellerUser.territories.includes(a.territory),
      )!;
      for (const suffix of ['', '/consumption', '/similar']) {
        const hidden = await as(
          SELLER,
          'seller',
          'GET',
          `/v1/accounts/${foreign.id}${suffix}`,
        );
        expect(hidden.statusCode, `${suffix} ${hidden.body}`).toBe(404);
        expect(hidden.body).not.toContain(foreign.name);
      }
      const adminView = await as(
        ADMIN,
        'admin',
        'GET',
        `/v1/accounts/${foreign.id}`,
      );
      expect(adminView.statusCode).toBe(200);
    });

    it('a seller can search by name only within their accounts', async () => {
      const everyone = await allAccounts(ADMIN, 'admin');
      const foreign = everyone.find(
        (a) => !sellerUser.territories.includes(a.territory),
      )!;
      const response = await as(
        SELLER,
        'seller',
        'GET',
        `/v1/accounts?q=${encodeURIComponent(foreign.name)}`,
      );
      expect(response.statusCode).toBe(200);
      const ids = response
        .json<{ items: AccountItem[] }>()
        .items.map((a) => a.id);
      expect(ids).not.toContain(foreign.id);
    });

    it('a user of the second tenant sees none of the first tenant', async () => {
      const lumen = await allAccounts(ADMIN, 'admin');
      const northstar = await allAccounts(OTHER_TENANT_SELLER, 'seller');
      const lumenIds = new Set(lumen.map((a) => a.id));
      expect(northstar.filter((a) => lumenIds.has(a.id))).toEqual([]);
      const probe = await as(
        OTHER_TENANT_SELLER,
        'seller',
        'GET',
        `/v1/accounts/${lumen[0]!.id}`,
      );
      expect(probe.statusCode).toBe(404);
      const alerts = await as(
        OTHER_TENANT_SELLER,
        'seller',
        'GET',
        `/v1/alerts/hygiene?accountId=${lumen[0]!.id}`,
      );
      expect(alerts.statusCode).toBe(404);
    });

    it('serves consumption and hygiene alerts of visible accounts', async () => {
      const [own] = await allAccounts(SELLER, 'seller');
      const consumption = await as(
        SELLER,
        'seller',
        'GET',
        `/v1/accounts/${own!.id}/consumption?months=6`,
      );
      expect(consumption.statusCode, consumption.body).toBe(200);
      expect(
        consumption.json<{ total: unknown[] }>().total.length,
      ).toBeLessThanOrEqual(6);
      const alerts = await as(
        SELLER,
        'seller',
        'GET',
        '/v1/alerts/hygiene?horizonDays=120',
      );
      expect(alerts.statusCode, alerts.body).toBe(200);
      const body = alerts.json<{
        horizonDays: number;
        goingLive: { accountId: string }[];
      }>();
      expect(body.horizonDays).toBe(120);
      const mine = new Set(
        (await allAccounts(SELLER, 'seller')).map((a) => a.id),
      );
      for (const useCase of body.goingLive) {
        expect(mine.has(useCase.accountId)).toBe(true);
      }
    });
  });

  describe('collateral', () => {
    const query = encodeURIComponent(
      'pricing floor discount approval deal desk Snowflake',
    );

    it('never shows a seller the confidential documents a manager and an admin get', async () => {
      const seller = await as(
        SELLER,
        'seller',
        'GET',
        `/v1/collateral/search?q=${query}&limit=20`,
      );
      expect(seller.statusCode, seller.body).toBe(200);
      const sellerDocs = seller
        .json<SearchResults>()
        .results.map((r) => r.citation.documentId);
      expect(sellerDocs.filter((id) => CONFIDENTIAL.has(id))).toEqual([]);

      for (const [userId, role] of [
        [MANAGER, 'manager'],
        [ADMIN, 'admin'],
      ] as const) {
        const response = await as(
          userId,
          role,
          'GET',
          `/v1/collateral/search?q=${query}&limit=20`,
        );
        expect(response.statusCode, response.body).toBe(200);
        const docs = response
          .json<SearchResults>()
          .results.map((r) => r.citation.documentId);
        expect(
          docs.some((id) => CONFIDENTIAL.has(id)),
          role,
        ).toBe(true);
      }
    });

    it('shows the second tenant no collateral of the first', async () => {
      const response = await as(
        OTHER_TENANT_SELLER,
        'seller',
        'GET',
        `/v1/collateral/search?q=${query}`,
      );
      expect(response.statusCode).toBe(200);
      expect(response.json<SearchResults>().results).toEqual([]);
    });

    it('lets a content manager ingest, list and delete a document, and denies a seller', async () => {
      const document = {
        id: 'e2e-zebrafish-playbook',
        filename: 'e2e-zebrafish-playbook.md',
        contentType: 'text/markdown',
        title: 'Zebrafish playbook',
        content:
          '---\ntype: playbook\nproducts: [stream]\nvisibility: internal\nowner: Enablement\nupdated: 2026-11-01\n---\n\n# Zebrafish playbook\n\nThe zebrafish motion wins streaming renewals in manufacturing.\n',
      };
      const denied = await as(
        SELLER,
        'seller',
        'POST',
        '/v1/documents',
        document,
      );
      expect(denied.statusCode).toBe(403);

      const created = await as(
        CONTENT_MANAGER,
        'content-manager',
        'POST',
        '/v1/documents',
        document,
      );
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({
        documentId: 'e2e-zebrafish-playbook',
        outcome: 'ingested',
      });
      const again = await as(
        CONTENT_MANAGER,
        'content-manager',
        'POST',
        '/v1/documents',
        document,
      );
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ outcome: 'unchanged' });

      const listed = await as(
        CONTENT_MANAGER,
        'content-manager',
        'GET',
        '/v1/documents?pageSize=500',
      );
      expect(listed.statusCode, listed.body).toBe(200);
      const ids = listed
        .json<{ items: { id: string }[] }>()
        .items.map((d) => d.id);
      expect(ids).toContain('e2e-zebrafish-playbook');
      // Content managers manage confidential documents too.
      expect(ids).toEqual(expect.arrayContaining([...CONFIDENTIAL]));

      const search = `/v1/collateral/search?q=${encodeURIComponent('zebrafish motion')}`;
      const found = await as(SELLER, 'seller', 'GET', search);
      const foundResults = found.json<SearchResults>().results;
      expect(foundResults[0]?.citation.documentId).toBe(
        'e2e-zebrafish-playbook',
      );

      const sellerDelete = await as(
        SELLER,
        'seller',
        'DELETE',
        '/v1/documents/e2e-zebrafish-playbook',
      );
      expect(sellerDelete.statusCode).toBe(403);
      const deleted = await as(
        CONTENT_MANAGER,
        'content-manager',
        'DELETE',
        '/v1/documents/e2e-zebrafish-playbook',
      );
      expect(deleted.statusCode, deleted.body).toBe(200);
      expect(
        deleted.json<{ deletedChunkCount: number }>().deletedChunkCount,
      ).toBeGreaterThan(0);

      const gone = await as(SELLER, 'seller', 'GET', search);
      expect(
        gone.json<SearchResults>().results.map((r) => r.citation.documentId),
      ).not.toContain('e2e-zebrafish-playbook');
      const twice = await as(
        CONTENT_MANAGER,
        'content-manager',
        'DELETE',
        '/v1/documents/e2e-zebrafish-playbook',
      );
      expect(twice.statusCode).toBe(404);
    });
  });
});
