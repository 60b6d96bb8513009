import {
  OpportunityStage,
  type AccountSummary,
  type Opportunity,
  type SearchResult,
} from '@fieldwise/contracts';
import { FieldwiseError, NotFoundError } from '@fieldwise/errors';
import type {
  CrmTools,
  DownstreamCall,
  RetrievalTools,
} from '../../src/domain/tools/ports.js';

/** Account rows the fake CRM serves; territory decides who sees them. */
export const ACCOUNTS: readonly AccountSummary[] = [
  {
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
  },
  {
    id: 'acc-contoso',
    name: 'Contoso Bank',
    domain: 'contosobank.co.uk',
    industry: 'Financial Services',
    segment: 'Enterprise',
    territory: 'emea-uki',
    region: 'EMEA',
    ownerUserId: 'u-seller-uk',
    ownerName: 'Uma UK',
    arr: { currencyCode: 'USD', amountMicros: 990_000_000_000 },
  },
];

/**
 * An in-process CRM with the real service's visibility rule (a record
 * outside the caller's territories is NOT_FOUND, lists only hold visible
 * rows), optimistic versions and idempotency keys. Counts writes.
 */
export class FakeCrm implements CrmTools {
  readonly writes: { key: string; field: string; value: string }[] = [];
  readonly calls: { method: string; principal: DownstreamCall['principal'] }[] =
    [];
  private readonly outcomes = new Map<string, unknown>();
  readonly opportunities = new Map<string, Opportunity>([
    [
      'opp-acme-renewal',
      {
        id: 'opp-acme-renewal',
        accountId: 'acc-acme',
        name: 'Acme renewal',
        stage: OpportunityStage.PROPOSAL,
        amount: { currencyCode: 'USD', amountMicros: 250_000_000_000 },
        closeDate: '2026-12-15',
        probability: 60,
        ownerUserId: 'u-seller-east',
        nextStep: 'Pricing review',
        productLines: ['stream'],
        competitors: ['Confluent'],
        version: 3,
        updatedAt: '2026-11-01T00:00:00Z',
      },
    ],
    [
      'opp-contoso-exp',
      {
        id: 'opp-contoso-exp',
        accountId: 'acc-contoso',
        name: 'Contoso expansion',
        stage: OpportunityStage.DISCOVERY,
        amount: { currencyCode: 'USD', amountMicros: 400_000_000_000 },
        closeDate: '2027-01-31',
        probability: 30,
        ownerUserId: 'u-seller-uk',
        nextStep: 'Workshop',
        productLines: ['lakehouse'],
        competitors: ['Databricks'],
        version: 1,
        updatedAt: '2026-11-01T00:00:00Z',
      },
    ],
  ]);
  /** Makes the next calls of a method fail with this error. */
  failWith: Partial<Record<keyof CrmTools, Error>> = {};
  /** Makes every call wait this long (ms), ignoring its signal. */
  delayMs = 0;

  private async enter(
    method: keyof CrmTools,
    call: DownstreamCall,
  ): Promise<void> {
    this.calls.push({ method, principal: call.principal });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const failure = this.failWith[method];
    if (failure) throw failure;
  }

  private account(id: string, call: DownstreamCall): AccountSummary {
    const account = ACCOUNTS.find((a) => a.id === id);
    if (!account || !this.visible(account.territory, call))
      throw new NotFoundError('account', id);
    return account;
  }

  private visible(territory: string, call: DownstreamCall): boolean {
    return (
      call.principal.roles.includes('admin') ||
      call.principal.territories.includes(territory)
    );
  }

  private opportunity(id: string, call: DownstreamCall): Opportunity {
    const opp = this.opportunities.get(id);
    if (!opp) throw new NotFoundError('opportunity', id);
    this.account(opp.accountId, call);
    return opp;
  }

  async findAccounts(
    req: Parameters<CrmTools['findAccounts']>[0],
    call: DownstreamCall,
  ) {
    await this.enter('findAccounts', call);
    const q = req.query.toLowerCase();
    const accounts = ACCOUNTS.filter((a) => this.visible(a.territory, call))
      .filter(
        (a) =>
          q === '' ||
          a.name.toLowerCase().includes(q) ||
          a.domain === req.domain,
      )
      .map((account) => ({ account, score: 1 }));
    return {
      accounts,
      page: { nextPageToken: '', totalSize: accounts.length },
    };
  }
  async getAccount360(req: { accountId: string }, call: DownstreamCall) {
    await this.enter('getAccount360', call);
    const summary = this.account(req.accountId, call);
    return {
      profile: {
        summary,
        country: 'US',
        employeeCount: 1000,
        description: `${summary.name} profile`,
        customerSince: '2020-01-01',
        tenant: 'lumen',
      },
      arr: summary.arr,
      openOpportunities: [...this.opportunities.values()].filter(
        (o) => o.accountId === summary.id,
      ),
      topUseCases: [],
      consumption: [],
      openSupportCases: [],
      openCasesBySeverity: [],
      recentNews: [],
      competitors: [],
      asOf: '2026-11-25',
    };
  }
  async getConsumption(req: { accountId: string }, call: DownstreamCall) {
    await this.enter('getConsumption', call);
    this.account(req.accountId, call);
    return { accountId: req.accountId, series: [], total: [] };
  }
  async getSupportCases(req: { accountId: string }, call: DownstreamCall) {
    await this.enter('getSupportCases', call);
    this.account(req.accountId, call);
    return { cases: [], openBySeverity: [] };
  }
  async getSimilarCustomers(req: { accountId: string }, call: DownstreamCall) {
    await this.enter('getSimilarCustomers', call);
    this.account(req.accountId, call);
    return { similarAccounts: [], recommendedUseCases: [] };
  }
  async getHygieneAlerts(
    req: { accountId: string; horizonDays: number },
    call: DownstreamCall,
  ) {
    await this.enter('getHygieneAlerts', call);
    if (req.accountId !== '') this.account(req.accountId, call);
    return {
      asOf: '2026-11-25',
      horizonDays: req.horizonDays,
      goingLive: [],
      topBlockers: [],
      missingSponsor: [],
      missingFields: [],
      pastCloseDate: [],
    };
  }
  async getOpportunity(req: { opportunityId: string }, call: DownstreamCall) {
    await this.enter('getOpportunity', call);
    return { opportunity: this.opportunity(req.opportunityId, call) };
  }
  async getUseCase(
    req: { useCaseId: string },
    call: DownstreamCall,
  ): ReturnType<CrmTools['getUseCase']> {
    await this.enter('getUseCase', call);
    throw new NotFoundError('use case', req.useCaseId);
  }
  async listContacts(req: { accountId: string }, call: DownstreamCall) {
    await this.enter('listContacts', call);
    this.account(req.accountId, call);
    return {
      contacts: [
        {
          id: 'c-1',
          accountId: req.accountId,
          firstName: 'Pat',
          lastName: 'Doe',
          title: 'CTO',
          email: 'pat@example.com',
          phone: '',
          isExecutive: true,
        },
      ],
    };
  }
  async updateField(
    req: Parameters<CrmTools['updateField']>[0],
    call: DownstreamCall,
  ) {
    await this.enter('updateField', call);
    const replay = this.outcomes.get(req.idempotencyKey);
    if (replay)
      return {
        ...(replay as Awaited<ReturnType<CrmTools['updateField']>>),
        replayed: true,
      };
    const opp = this.opportunity(req.entityId, call);
    if (opp.version !== req.expectedVersion)
      throw new FieldwiseError('CONFLICT', 'the record changed');
    const before = OpportunityStage[opp.stage];
    const stage =
      OpportunityStage[req.newValue as keyof typeof OpportunityStage];
    this.opportunities.set(opp.id, { ...opp, stage, version: opp.version + 1 });
    this.writes.push({
      key: req.idempotencyKey,
      field: req.field,
      value: req.newValue,
    });
    const outcome = {
      entityType: req.entityType,
      entityId: opp.id,
      change: { field: req.field, before, after: req.newValue },
      newVersion: opp.version + 1,
      replayed: false,
    };
    this.outcomes.set(req.idempotencyKey, outcome);
    return outcome;
  }
  async createEmailDraft(
    req: Parameters<CrmTools['createEmailDraft']>[0],
    call: DownstreamCall,
  ) {
    await this.enter('createEmailDraft', call);
    this.account(req.accountId, call);
    this.writes.push({
      key: req.idempotencyKey,
      field: 'draft',
      value: req.subject,
    });
    return {
      draft: {
        id: `draft-${req.idempotencyKey}`,
        accountId: req.accountId,
        contactId: req.contactId,
        to: '',
        subject: req.subject,
        body: req.body,
        kind: req.kind,
        createdBy: call.principal.userId,
        createdAt: '',
      },
      replayed: false,
    };
  }
  async createProposal(
    req: Parameters<CrmTools['createProposal']>[0],
    call: DownstreamCall,
  ) {
    await this.enter('createProposal', call);
    this.account(req.accountId, call);
    this.writes.push({
      key: req.idempotencyKey,
      field: 'proposal',
      value: req.title,
    });
    return {
      proposal: {
        id: `prop-${req.idempotencyKey}`,
        accountId: req.accountId,
        opportunityId: req.opportunityId,
        title: req.title,
        templateId: req.templateId,
        markdown: '',
        html: '',
        createdBy: call.principal.userId,
        createdAt: '',
      },
      replayed: false,
    };
  }
}

/** An in-process retrieval service returning fixed results. */
export class FakeRetrieval implements RetrievalTools {
  results: SearchResult[] = [];
  search(): ReturnType<RetrievalTools['search']> {
    return Promise.resolve({ results: this.results, embeddingModel: 'fake' });
  }
}

/** A search result for a chunk of text. */
export function chunkResult(
  chunkId: string,
  text: string,
  flagged = false,
): SearchResult {
  return {
    citation: {
      documentId: `doc-${chunkId}`,
      chunkId,
      title: `Doc ${chunkId}`,
      sectionPath: 'Intro',
      snippet: text.slice(0, 40),
      charStart: 0,
      charEnd: text.length,
    },
    text,
    score: 0.9,
    lexicalScore: 0.5,
    vectorScore: 0.5,
    injectionFlagged: flagged,
  };
}
