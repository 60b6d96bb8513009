import { FieldwiseError } from '@fieldwise/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalStore } from '../../src/adapters/store/port.js';
import { contentHash } from '../../src/domain/dataset/content-hash.js';
import {
  EvalCaseSchema,
  type EvalCase,
} from '../../src/domain/dataset/eval-case.js';
import type { CandidateCase, CaseResult, Run } from '../../src/domain/model.js';

const evalCase = (id: string, message: string): EvalCase =>
  EvalCaseSchema.parse({
    id,
    user: { userId: 'usr-lumen-seller-01', tenant: 'lumen', role: 'seller' },
    request: { message },
    requiredFacts: ['Acme Corporation'],
  });

const run = (id: string, datasetId: string, createdAt: string): Run => ({
  id,
  datasetId,
  datasetVersion: 1,
  status: 'running',
  label: 'contract',
  llmJudge: false,
  progress: {
    totalCases: 2,
    completedCases: 0,
    failedCases: 0,
    erroredCases: 0,
  },
  metrics: [],
  judgeAgreement: [],
  error: '',
  createdBy: 'tester',
  createdAt,
  startedAt: createdAt,
  finishedAt: '',
});

const result = (
  runId: string,
  caseId: string,
  position: number,
  outcome: CaseResult['outcome'],
): CaseResult => ({
  runId,
  caseId,
  position,
  outcome,
  question: 'q',
  metrics: [
    {
      name: 'facts',
      value: outcome === 'passed' ? 1 : 0,
      judge: 'deterministic',
      passed: outcome === 'passed',
      explanation: '',
    },
  ],
  finishedAt: '2026-11-25T12:00:00.000Z',
});

const candidate = (
  id: string,
  feedbackId: string,
  createdAt: string,
): CandidateCase => ({
  id,
  tenant: 'lumen',
  feedbackId,
  conversationId: 'conv-1',
  messageId: 'msg-1',
  userId: 'usr-lumen-seller-01',
  question: 'What is Acme ARR?',
  answer: 'I do not know.',
  comment: 'wrong',
  correctedAnswer: 'ARR is $1.2M',
  toolCalls: [
    {
      name: 'account_360',
      arguments: { accountId: 'acc-lumen-0001' },
      status: 'executed',
    },
  ],
  draftEdits: [
    { draftId: 'draft-1', field: 'subject', before: 'Hi', after: 'Renewal' },
  ],
  proposedCase: evalCase(`fb-${feedbackId}`, 'What is Acme ARR?'),
  accepted: false,
  createdAt,
});

/**
 * The EvalStore contract: every implementation must pass it against a
 * fresh, empty, migrated store from `makeStore`.
 */
export function runEvalStoreContract(
  name: string,
  makeStore: () => Promise<{ store: EvalStore; dispose: () => Promise<void> }>,
): void {
  describe(`EvalStore contract: ${name}`, () => {
    let store: EvalStore;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ store, dispose } = await makeStore());
    });
    afterAll(async () => {
      await dispose();
    });

    const createdAt = '2026-11-25T10:00:00.000Z';

    it('creates datasets, unique per tenant name, and finds them', async () => {
      const ds = await store.createDataset({
        id: 'ds-1',
        tenant: 'lumen',
        name: 'sample',
        description: 'd',
        createdBy: 'u',
        createdAt,
      });
      expect(ds).toMatchObject({ latestVersion: 0, name: 'sample' });
      await store.createDataset({
        id: 'ds-2',
        tenant: 'northstar',
        name: 'sample',
        description: '',
        createdBy: 'u',
        createdAt,
      });
      await expect(
        store.createDataset({
          id: 'ds-3',
          tenant: 'lumen',
          name: 'sample',
          description: '',
          createdBy: 'u',
          createdAt,
        }),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect((await store.findDatasetByName('lumen', 'sample'))?.id).toBe(
        'ds-1',
      );
      expect(await store.findDatasetByName('lumen', 'nope')).toBeUndefined();
      expect((await store.listDatasets('northstar')).map((d) => d.id)).toEqual([
        'ds-2',
      ]);
    });

    it('appends numbered versions holding the cases in order', async () => {
      const v1Cases = [evalCase('b', 'second?'), evalCase('a', 'first?')];
      const v1 = await store.addDatasetVersion({
        datasetId: 'ds-1',
        cases: v1Cases,
        contentHash: contentHash(v1Cases),
        note: 'one',
        createdBy: 'u',
        createdAt,
      });
      const v2Cases = [evalCase('c', 'third?')];
      const v2 = await store.addDatasetVersion({
        datasetId: 'ds-1',
        cases: v2Cases,
        contentHash: contentHash(v2Cases),
        note: 'two',
        createdBy: 'u',
        createdAt,
      });
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(await store.getCases('ds-1', 1)).toEqual(v1Cases);
      expect(await store.getCases('ds-1', 2)).toEqual(v2Cases);
      expect(
        (await store.listDatasetVersions('ds-1')).map((v) => [
          v.version,
          v.caseCount,
          v.contentHash,
        ]),
      ).toEqual([
        [2, 1, contentHash(v2Cases)],
        [1, 2, contentHash(v1Cases)],
      ]);
      expect((await store.getDataset('ds-1'))?.latestVersion).toBe(2);
      await expect(store.getCases('ds-1', 9)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(
        store.addDatasetVersion({
          datasetId: 'missing',
          cases: [],
          contentHash: 'x',
          note: '',
          createdBy: 'u',
          createdAt,
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('gives concurrent appends distinct version numbers', async () => {
      await store.createDataset({
        id: 'ds-c',
        tenant: 'lumen',
        name: 'concurrent',
        description: '',
        createdBy: 'u',
        createdAt,
      });
      const versions = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          store.addDatasetVersion({
            datasetId: 'ds-c',
            cases: [evalCase(`c${i}`, `q${i}?`)],
            contentHash: `h${i}`,
            note: '',
            createdBy: 'u',
            createdAt,
          }),
        ),
      );
      expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
    });

    it('stores runs, patches them and lists them newest first with filters', async () => {
      await store.createRun(run('run-a', 'ds-1', '2026-11-25T10:00:00.000Z'));
      await store.createRun(run('run-b', 'ds-1', '2026-11-25T11:00:00.000Z'));
      await expect(
        store.createRun(run('run-a', 'ds-1', createdAt)),
      ).rejects.toBeInstanceOf(FieldwiseError);
      const patched = await store.updateRun('run-a', {
        status: 'completed',
        llmJudge: true,
        progress: {
          totalCases: 2,
          completedCases: 2,
          failedCases: 1,
          erroredCases: 0,
        },
        metrics: [
          {
            name: 'facts',
            mean: 0.5,
            min: 0,
            max: 1,
            p95: 1,
            count: 2,
            passRate: 0.5,
          },
        ],
        judgeAgreement: [
          {
            criterion: 'relevance',
            pairs: 2,
            weightedKappa: null,
            spearman: 1,
          },
        ],
        finishedAt: '2026-11-25T10:05:00.000Z',
      });
      expect(patched).toMatchObject({
        status: 'completed',
        llmJudge: true,
        progress: { failedCases: 1 },
        finishedAt: '2026-11-25T10:05:00.000Z',
      });
      expect(patched.metrics[0]).toMatchObject({
        name: 'facts',
        passRate: 0.5,
      });
      expect(
        (await store.listRuns({ datasetId: 'ds-1' })).map((r) => r.id),
      ).toEqual(['run-b', 'run-a']);
      expect(
        (await store.listRuns({ status: 'completed' })).map((r) => r.id),
      ).toEqual(['run-a']);
      await expect(
        store.updateRun('missing', { status: 'failed' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store.getRun('missing')).toBeUndefined();
    });

    it('upserts case results and lists them in dataset order', async () => {
      await store.saveCaseResult(result('run-b', 'a', 1, 'errored'));
      await store.saveCaseResult(result('run-b', 'b', 0, 'passed'));
      await store.saveCaseResult(result('run-b', 'a', 1, 'failed'));
      const results = await store.listCaseResults('run-b');
      expect(results.map((r) => [r.caseId, r.outcome])).toEqual([
        ['b', 'passed'],
        ['a', 'failed'],
      ]);
      expect(results[1]?.metrics[0]).toMatchObject({
        name: 'facts',
        passed: false,
      });
    });

    it('stores one candidate per feedback id, lists and accepts them', async () => {
      const first = await store.saveCandidateCase(
        candidate('cand-1', 'fb-1', '2026-11-25T10:00:00.000Z'),
      );
      const again = await store.saveCandidateCase(
        candidate('cand-dup', 'fb-1', '2026-11-25T10:30:00.000Z'),
      );
      await store.saveCandidateCase(
        candidate('cand-2', 'fb-2', '2026-11-25T11:00:00.000Z'),
      );
      expect(first.created).toBe(true);
      expect(again).toMatchObject({
        created: false,
        candidate: { id: 'cand-1' },
      });
      expect(
        (await store.listCandidateCases('lumen')).map((c) => c.id),
      ).toEqual(['cand-2', 'cand-1']);
      expect(await store.listCandidateCases('northstar')).toEqual([]);
      const accepted = await store.markCandidateAccepted('cand-1');
      expect(accepted.accepted).toBe(true);
      expect(
        (await store.listCandidateCases('lumen')).map((c) => c.id),
      ).toEqual(['cand-2']);
      expect(
        (
          await store.listCandidateCases('lumen', { includeAccepted: true })
        ).map((c) => c.id),
      ).toEqual(['cand-2', 'cand-1']);
      await expect(
        store.markCandidateAccepted('missing'),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
