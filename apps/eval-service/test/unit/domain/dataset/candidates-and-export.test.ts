import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteEvalStore } from '../../../../src/adapters/store/sqlite-eval-store.js';
import { acceptCandidateCase } from '../../../../src/domain/dataset/accept-candidate.js';
import { contentHash } from '../../../../src/domain/dataset/content-hash.js';
import { EvalCaseSchema } from '../../../../src/domain/dataset/eval-case.js';
import { exportDataset } from '../../../../src/domain/dataset/export-dataset.js';
import { importDataset } from '../../../../src/domain/dataset/import-dataset.js';
import { parseCasesJsonl } from '../../../../src/domain/dataset/jsonl.js';
import type { EvalDeps } from '../../../../src/domain/deps.js';
import {
  memoryStore,
  readText,
  SAMPLE_DATASET,
  testDeps,
} from '../../../helpers/fixtures.js';

describe('dataset export and candidate acceptance', () => {
  let store: SqliteEvalStore;
  let deps: EvalDeps;
  let datasetId: string;
  beforeEach(async () => {
    store = await memoryStore();
    deps = testDeps(store);
    datasetId = (
      await importDataset(deps, {
        tenant: 'lumen',
        datasetName: 'sample',
        jsonl: readText(SAMPLE_DATASET),
        createdBy: 't',
      })
    ).dataset.id;
  });
  afterEach(async () => {
    await store.close();
  });

  it('exports JSONL that re-imports to the same content (no new version)', async () => {
    const exported = await exportDataset(deps, datasetId);
    expect(exported.version).toBe(1);
    expect(contentHash(parseCasesJsonl(exported.jsonl).cases)).toBe(
      (await store.listDatasetVersions(datasetId))[0]?.contentHash,
    );
    const again = await importDataset(deps, {
      tenant: 'lumen',
      datasetName: 'sample',
      jsonl: exported.jsonl,
      createdBy: 't',
    });
    expect(again.created).toBe(false);
    await expect(exportDataset(deps, datasetId, 7)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('adds an accepted candidate (edited) as a new version, once', async () => {
    const proposed = EvalCaseSchema.parse({
      id: 'fb-acme-arr',
      user: { userId: 'usr-lumen-seller-01', tenant: 'lumen', role: 'seller' },
      request: { message: 'What is the ARR of Acme?' },
      source: 'feedback:fb-1',
    });
    await store.saveCandidateCase({
      id: 'cand-1',
      tenant: 'lumen',
      feedbackId: 'fb-1',
      conversationId: 'c',
      messageId: 'm',
      userId: 'usr-lumen-seller-01',
      question: 'What is the ARR of Acme?',
      answer: 'No idea.',
      comment: 'wrong',
      correctedAnswer: 'ARR is $1.2M',
      toolCalls: [],
      draftEdits: [],
      proposedCase: proposed,
      accepted: false,
      createdAt: '2026-11-25T10:00:00.000Z',
    });
    const edited = { ...proposed, requiredFacts: ['$1.2M'] };
    const { version, evalCase } = await acceptCandidateCase(deps, {
      tenant: 'lumen',
      candidateId: 'cand-1',
      datasetId,
      editedCase: edited,
      acceptedBy: 'admin',
    });
    expect(version).toMatchObject({ version: 2, caseCount: 11 });
    expect(evalCase.requiredFacts).toEqual(['$1.2M']);
    expect((await store.getCases(datasetId, 2)).at(-1)?.id).toBe('fb-acme-arr');
    await expect(
      acceptCandidateCase(deps, {
        tenant: 'lumen',
        candidateId: 'cand-1',
        datasetId,
        acceptedBy: 'admin',
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(
      acceptCandidateCase(deps, {
        tenant: 'northstar',
        candidateId: 'cand-1',
        datasetId,
        acceptedBy: 'admin',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
