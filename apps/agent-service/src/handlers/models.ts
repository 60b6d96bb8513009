import type {
  GetModelInfoRequest,
  GetModelInfoResponse,
  ListModelsResponse,
} from '@fieldwise/contracts';
import { NotFoundError } from '@fieldwise/errors';
import type { AgentHandlerDeps } from './handler-deps.js';

/** `ListModels` and `GetModelInfo`: the active model, described honestly. */
export function modelHandlers(deps: AgentHandlerDeps) {
  return {
    listModels(): ListModelsResponse {
      return {
        models: [...deps.models],
        defaultModel: deps.models[0]?.ref?.name ?? '',
      };
    },
    getModelInfo(request: GetModelInfoRequest): GetModelInfoResponse {
      const model = deps.models.find((m) => m.ref?.name === request.name);
      if (!model) throw new NotFoundError('model', request.name);
      return { model };
    },
  };
}
