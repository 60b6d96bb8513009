import type { EvalServiceService } from '@fieldwise/contracts';
import { NotFoundError } from '@fieldwise/errors';
import type { ServiceHandlers } from '@fieldwise/grpc';
import { acceptCandidateCase } from '../domain/index.js';
import type { EvalHandlerDeps } from './handler-deps.js';
import { paginate, resolvePage } from './paging.js';
import {
  decodeCase,
  encodeCandidate,
  encodeCase,
  encodeVersion,
} from './proto-mapping.js';
import { requireId } from './request-fields.js';

type CandidateHandlers = Pick<
  ServiceHandlers<typeof EvalServiceService>,
  'listCandidateCases' | 'acceptCandidateCase'
>;

/** Candidate cases from negative feedback: list them, accept one into a dataset. */
export function candidateHandlers(deps: EvalHandlerDeps): CandidateHandlers {
  return {
    async listCandidateCases(request, ctx) {
      const page = resolvePage(request.page);
      const all = await deps.store.listCandidateCases(ctx.principal.tenant, {
        includeAccepted: request.includeAccepted,
      });
      const { items, info } = paginate(all, page);
      return { candidates: items.map(encodeCandidate), page: info };
    },

    async acceptCandidateCase(request, ctx) {
      const candidateId = requireId(request.candidateId, 'candidate_id');
      const datasetId = requireId(request.datasetId, 'dataset_id');
      let editedCase;
      if (request.editedCase !== undefined) {
        const candidates = await deps.store.listCandidateCases(
          ctx.principal.tenant,
          { includeAccepted: true },
        );
        const candidate = candidates.find((c) => c.id === candidateId);
        if (!candidate) throw new NotFoundError('candidate case', candidateId);
        // The contract case lacks tenant and role: keep the proposal's.
        editedCase = decodeCase(
          request.editedCase,
          candidate.proposedCase.user,
          'edited_case',
          candidate.proposedCase,
        );
      }
      const accepted = await acceptCandidateCase(deps, {
        tenant: ctx.principal.tenant,
        candidateId,
        datasetId,
        ...(editedCase ? { editedCase } : {}),
        acceptedBy: ctx.principal.userId,
      });
      return {
        version: encodeVersion(accepted.version),
        evalCase: encodeCase(accepted.evalCase),
      };
    },
  };
}
