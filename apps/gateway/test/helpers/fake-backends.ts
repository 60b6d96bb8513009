import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { pino } from 'pino';
import {
  AccountProfile,
  AccountSummary,
  CrmServiceService,
  EvalServiceService,
  RetrievalServiceService,
  Run,
  RunStatus,
} from '@fieldwise/contracts';
import {
  implementService,
  startGrpcServer,
  type CallContext,
  type HandlerFor,
  type RunningGrpcServer,
} from '@fieldwise/grpc';
import {
  createPrincipalSigner,
  createPrincipalVerifier,
  type Principal,
  type PrincipalSigner,
} from '@fieldwise/principal';
import { GrpcCrmClient } from '../../src/clients/crm-client.js';
import { GrpcEvalClient } from '../../src/clients/eval-client.js';
import { GrpcRetrievalClient } from '../../src/clients/retrieval-client.js';

// The methods the gateway's routes call, and nothing else: a route that
// called another method would fail against these fakes.
const crmMethods = {
  findAccounts: CrmServiceService.findAccounts,
  getAccount360: CrmServiceService.getAccount360,
  getConsumption: CrmServiceService.getConsumption,
  getSimilarCustomers: CrmServiceService.getSimilarCustomers,
  getHygieneAlerts: CrmServiceService.getHygieneAlerts,
};
const retrievalMethods = {
  search: RetrievalServiceService.search,
  ingestDocuments: RetrievalServiceService.ingestDocuments,
  deleteDocument: RetrievalServiceService.deleteDocument,
  listDocuments: RetrievalServiceService.listDocuments,
};
const evalMethods = {
  listRuns: EvalServiceService.listRuns,
  startRun: EvalServiceService.startRun,
  getRun: EvalServiceService.getRun,
  getRunReport: EvalServiceService.getRunReport,
  listDatasets: EvalServiceService.listDatasets,
};

type Handlers<S> = { -readonly [K in keyof S]: HandlerFor<S[K]> };

/** One call a fake backend received. */
export interface ReceivedCall {
  method: string;
  request: unknown;
  principal: Principal;
  traceId: string | undefined;
}

/**
 * In-process fake crm, retrieval and eval services on one real gRPC
 * server that verifies principals like the real ones. Handlers answer with
 * small canned data; tests replace them per method.
 */
export interface FakeBackends {
  crm: Handlers<typeof crmMethods>;
  retrieval: Handlers<typeof retrievalMethods>;
  evals: Handlers<typeof evalMethods>;
  /** Every call, in order. */
  calls: ReceivedCall[];
  /** The signer the gateway must use so the fakes accept its principals. */
  signer: PrincipalSigner;
  /** Gateway clients bound to the fakes. */
  clients: {
    crm: GrpcCrmClient;
    retrieval: GrpcRetrievalClient;
    evals: GrpcEvalClient;
  };
  /** Puts every handler back to its canned default and forgets the calls. */
  reset(): void;
  stop(): Promise<void>;
}

export const SAMPLE_ACCOUNT = AccountSummary.fromPartial({
  id: 'acc-1',
  name: 'Acme Corporation',
  domain: 'acme.com',
  industry: 'Manufacturing',
  segment: 'Enterprise',
  territory: 'amer-east',
  region: 'AMER',
  ownerUserId: 'u-seller-1',
  ownerName: 'East Seller',
  arr: { currencyCode: 'USD', amountMicros: 1_250_000_500_000 },
});

export const SAMPLE_RUN = Run.fromPartial({
  id: 'run-1',
  datasetId: 'ds-1',
  datasetVersion: 2,
  status: RunStatus.QUEUED,
  label: 'nightly',
  progress: { totalCases: 10 },
  createdBy: 'u-admin-1',
  createdAt: '2026-11-25T10:00:00.000Z',
});

function defaults(): {
  crm: Handlers<typeof crmMethods>;
  retrieval: Handlers<typeof retrievalMethods>;
  evals: Handlers<typeof evalMethods>;
} {
  return {
    crm: {
      findAccounts: () => ({
        accounts: [{ account: SAMPLE_ACCOUNT, score: 1 }],
        page: { nextPageToken: '', totalSize: 1 },
      }),
      getAccount360: () => ({
        profile: AccountProfile.fromPartial({
          summary: SAMPLE_ACCOUNT,
          country: 'US',
        }),
        owner: undefined,
        arr: SAMPLE_ACCOUNT.arr,
        openOpportunities: [],
        topUseCases: [],
        consumption: [],
        openSupportCases: [],
        openCasesBySeverity: [],
        recentNews: [],
        competitors: [],
        asOf: '2026-11-25',
      }),
      getConsumption: (request) => ({
        accountId: request.accountId,
        series: [],
        total: [],
      }),
      getSimilarCustomers: () => ({
        similarAccounts: [],
        recommendedUseCases: [],
      }),
      getHygieneAlerts: () => ({
        asOf: '2026-11-25',
        horizonDays: 90,
        goingLive: [],
        topBlockers: [],
        missingSponsor: [],
        missingFields: [],
        pastCloseDate: [],
      }),
    },
    retrieval: {
      search: () => ({ results: [], embeddingModel: 'fake-embedder' }),
      ingestDocuments: (request) => ({
        results: request.documents.map((document) => ({
          documentId: document.id,
          outcome: 1,
          reasonCode: '',
          reason: '',
          chunkCount: 1,
          flaggedChunks: [],
          contentHash: 'f'.repeat(64),
          version: 1,
        })),
      }),
      deleteDocument: (request) => ({
        documentId: request.documentId,
        deletedChunkCount: 3,
      }),
      listDocuments: () => ({
        documents: [],
        page: { nextPageToken: '', totalSize: 0 },
      }),
    },
    evals: {
      listRuns: () => ({
        runs: [SAMPLE_RUN],
        page: { nextPageToken: '', totalSize: 1 },
      }),
      startRun: (request) => ({
        run: { ...SAMPLE_RUN, datasetId: request.datasetId },
      }),
      getRun: () => ({ run: SAMPLE_RUN }),
      getRunReport: () => ({ html: '<!doctype html><title>Run</title>' }),
      listDatasets: () => ({
        datasets: [],
        page: { nextPageToken: '', totalSize: 0 },
      }),
    },
  };
}

// Each registered handler looks the current one up on every call, so tests
// can swap handlers without restarting the server.
function delegating<S extends Record<string, unknown>>(
  methods: S,
  current: () => Record<string, unknown>,
  calls: ReceivedCall[],
): Handlers<S> {
  const handlers: Record<string, unknown> = {};
  for (const name of Object.keys(methods)) {
    handlers[name] = (request: unknown, ctx: CallContext) => {
      calls.push({
        method: name,
        request,
        principal: ctx.principal,
        traceId: ctx.traceId,
      });
      const handler = current()[name] as (
        request: unknown,
        ctx: CallContext,
      ) => unknown;
      return handler(request, ctx);
    };
  }
  return handlers as Handlers<S>;
}

export async function startFakeBackends(): Promise<FakeBackends> {
  const key = new Uint8Array(randomBytes(32));
  const logger = pino({ level: 'silent' });
  const calls: ReceivedCall[] = [];
  const state = defaults();
  const server: RunningGrpcServer = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [
      implementService(
        crmMethods,
        delegating(crmMethods, () => fake.crm, calls),
      ),
      implementService(
        retrievalMethods,
        delegating(retrievalMethods, () => fake.retrieval, calls),
      ),
      implementService(
        evalMethods,
        delegating(evalMethods, () => fake.evals, calls),
      ),
    ],
    verifier: createPrincipalVerifier({ key }),
    logger,
  });
  const address = `127.0.0.1:${server.port}`;
  const options = { deadlineMs: 5_000, logger };
  const clients = {
    crm: new GrpcCrmClient(address, options),
    retrieval: new GrpcRetrievalClient(address, options),
    evals: new GrpcEvalClient(address, options),
  };
  const fake: FakeBackends = {
    ...state,
    calls,
    signer: createPrincipalSigner({ key }),
    clients,
    reset() {
      Object.assign(fake, defaults());
      calls.length = 0;
    },
    async stop() {
      clients.crm.close();
      clients.retrieval.close();
      clients.evals.close();
      await server.drain({ timeoutMs: 1_000 });
    },
  };
  return fake;
}

/** A 127.0.0.1 port nothing listens on (it was free a moment ago). */
export function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object')
          resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Rate limits high enough that a test file never meets them. */
export const UNLIMITED_ENV = {
  RATE_LIMIT_PRINCIPAL_MAX: '1000000',
  RATE_LIMIT_ROUTE_MAX: '1000000',
};
