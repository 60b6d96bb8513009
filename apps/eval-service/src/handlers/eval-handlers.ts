import type { EvalServiceService } from '@fieldwise/contracts';
import type { CallContext, ServiceHandlers } from '@fieldwise/grpc';
import { candidateHandlers } from './candidate-handlers.js';
import { datasetHandlers } from './dataset-handlers.js';
import { assertEvaluator } from './evaluator-access.js';
import type { EvalHandlerDeps } from './handler-deps.js';
import { runHandlers } from './run-handlers.js';

/**
 * Every EvalService handler, each behind the evaluator check (admins of the
 * tenant and the evaluation identity; PERMISSION_DENIED otherwise).
 */
export function createEvalHandlers(
  deps: EvalHandlerDeps,
): ServiceHandlers<typeof EvalServiceService> {
  const handlers = {
    ...datasetHandlers(deps),
    ...runHandlers(deps),
    ...candidateHandlers(deps),
  };
  const guarded: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    guarded[name] = (
      request: unknown,
      ctx: CallContext,
      ...rest: unknown[]
    ) => {
      assertEvaluator(ctx.principal);
      return (handler as (...args: unknown[]) => unknown)(
        request,
        ctx,
        ...rest,
      );
    };
  }
  // Same keys and signatures as `handlers`, each wrapped by the check above.
  return guarded as unknown as ServiceHandlers<typeof EvalServiceService>;
}
