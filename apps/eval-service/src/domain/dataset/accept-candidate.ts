import { FieldwiseError, NotFoundError } from '@fieldwise/errors';
import type { EvalDeps } from '../deps.js';
import type { DatasetVersion } from '../model.js';
import { contentHash } from './content-hash.js';
import {
  EvalCaseSchema,
  type EvalCase,
  type EvalCaseInput,
} from './eval-case.js';

/** What accepting a candidate case needs. */
export interface AcceptCandidateInput {
  readonly tenant: string;
  readonly candidateId: string;
  readonly datasetId: string;
  /** The case to add instead of the candidate's proposal (validated like a JSONL line). */
  readonly editedCase?: EvalCaseInput;
  readonly acceptedBy: string;
}

/**
 * Adds a candidate case from feedback (or its edited version) to a dataset
 * as a new version: the latest cases plus this one, replacing a case with
 * the same id. Marks the candidate accepted. Unknown candidate or dataset
 * (or one of another tenant) is NOT_FOUND; an already accepted candidate is
 * PRECONDITION_FAILED; an invalid edited case is VALIDATION_FAILED.
 */
export async function acceptCandidateCase(
  deps: EvalDeps,
  input: AcceptCandidateInput,
): Promise<{ version: DatasetVersion; evalCase: EvalCase }> {
  const candidates = await deps.store.listCandidateCases(input.tenant, {
    includeAccepted: true,
  });
  const candidate = candidates.find((c) => c.id === input.candidateId);
  if (!candidate) throw new NotFoundError('candidate case', input.candidateId);
  if (candidate.accepted) {
    throw new FieldwiseError(
      'PRECONDITION_FAILED',
      `candidate '${candidate.id}' was already accepted`,
    );
  }
  const dataset = await deps.store.getDataset(input.datasetId);
  if (!dataset || dataset.tenant !== input.tenant)
    throw new NotFoundError('dataset', input.datasetId);
  let evalCase: EvalCase = candidate.proposedCase;
  if (input.editedCase !== undefined) {
    const parsed = EvalCaseSchema.safeParse(input.editedCase);
    if (!parsed.success) {
      throw new FieldwiseError(
        'VALIDATION_FAILED',
        'the edited case is invalid',
        {
          violations: parsed.error.issues.map((i) => ({
            field: i.path.map(String).join('.'),
            message: i.message,
          })),
        },
      );
    }
    evalCase = parsed.data;
  }
  const latest =
    dataset.latestVersion > 0
      ? await deps.store.getCases(dataset.id, dataset.latestVersion)
      : [];
  const cases = [...latest.filter((c) => c.id !== evalCase.id), evalCase];
  const version = await deps.store.addDatasetVersion({
    datasetId: dataset.id,
    cases,
    contentHash: contentHash(cases),
    note: `accepted candidate ${candidate.id} (feedback ${candidate.feedbackId})`,
    createdBy: input.acceptedBy,
    createdAt: deps.now().toISOString(),
  });
  await deps.store.markCandidateAccepted(candidate.id);
  return { version, evalCase };
}
