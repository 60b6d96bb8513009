import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RetrievalServiceService } from '@fieldwise/contracts';
import type { GrpcServiceClient } from '@fieldwise/grpc';
import {
  startServiceForTest,
  type ServiceUnderTest,
} from '@fieldwise/grpc/testing';
import type { Principal } from '@fieldwise/principal';
import { loadRetrievalConfig } from '../../src/config.js';
import { retrievalServiceOptions } from '../../src/server.js';

/** Repository paths the handler tests read. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
export const COLLATERAL_DIR = join(REPO_ROOT, 'data/collateral');
/** The word-vector cache shared by every test run (converted once per checkout). */
const VECTOR_CACHE_DIR = resolve(import.meta.dirname, '../../.data/cache');

/**
 * A small corpus covering every visibility class, every source format and
 * the planted injections (HTML comment, hidden HTML, white text, Markdown
 * footers), so first-start ingestion stays quick.
 */
export const SMALL_CORPUS: readonly string[] = [
  'case-study-acme-corporation-predictive-maintenance.md',
  'battlecard-stream-vs-confluent.md',
  'battlecard-warehouse-vs-bigquery.md',
  'partner-brief-aws-marketplace.md',
  'partner-brief-si-delivery-playbook.md',
  'pricing-floors-fy2026.md',
  'deal-desk-notes-snowflake-competitive.md',
  'case-study-nordlys-media-connect.md',
  'case-study-stark-logistics-eta-prediction.html',
  'partner-brief-reseller-onboarding.html',
  'security-faq-ai-data-handling.html',
  'case-study-pinnacle-public-transit.pdf',
  'case-study-pinnacle-public-transit.meta.json',
];

/** A running retrieval service with clients for each role. */
export interface RetrievalUnderTest {
  readonly service: ServiceUnderTest;
  readonly client: GrpcServiceClient<typeof RetrievalServiceService>;
  /** A principal token for a user holding `roles` in `tenant` (default `lumen`). */
  tokenFor(roles: Principal['roles'], tenant?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the retrieval service exactly as main.ts does (the real handlers,
 * adapters, authz policy and guardrails scanner) on a free port with a fresh
 * data dir, ingesting `files` of data/collateral (all of it when omitted)
 * on first start.
 */
export async function startRetrievalForTest(
  files?: readonly string[],
): Promise<RetrievalUnderTest> {
  const root = mkdtempSync(join(tmpdir(), 'retrieval-handlers-'));
  let corpusDir = COLLATERAL_DIR;
  if (files) {
    corpusDir = join(root, 'corpus');
    mkdirSync(corpusDir);
    for (const file of files) {
      const from = join(COLLATERAL_DIR, file);
      if (!existsSync(from)) throw new Error(`no corpus file ${file}`);
      copyFileSync(from, join(corpusDir, file));
    }
  }
  const config = loadRetrievalConfig({
    FIELDWISE_DATA_DIR: join(root, 'data'),
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
    RETRIEVAL_CORPUS_DIR: corpusDir,
    RETRIEVAL_INGEST_ON_START: 'true',
    RETRIEVAL_EMBEDDINGS_CACHE_DIR: VECTOR_CACHE_DIR,
  });
  const service = await startServiceForTest({
    name: 'retrieval',
    config,
    ...retrievalServiceOptions(config),
  });
  let user = 0;
  return {
    service,
    client: service.client(RetrievalServiceService),
    tokenFor: (roles, tenant = 'lumen') =>
      service.sign({
        userId: `u-test-${++user}`,
        tenant,
        roles,
        territories: ['amer-east'],
      }),
    async stop() {
      await service.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
