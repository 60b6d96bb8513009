import type { EvalCase } from '../dataset/eval-case.js';
import type { AgentTurn } from '../model.js';

/**
 * Runs one case against the agent as the case's user and returns the last
 * turn (see `AgentTurn`). Implementations: the gRPC runner (the evaluation
 * identity impersonating `case.user`, `eval_run_id` set) and the scripted
 * runner that replays recorded outputs. Throws a FieldwiseError when the
 * agent call fails; must stop promptly when `signal` aborts.
 */
export interface AgentRunner {
  run(
    evalCase: EvalCase,
    options: { readonly signal: AbortSignal; readonly runId: string },
  ): Promise<AgentTurn>;
}
