import type { AgentRunner, EvalDeps, JudgeSettings } from '../domain/index.js';
import type { RunRegistry } from './run-registry.js';

/** What the EvalService handlers work with; built once by the server wiring. */
export interface EvalHandlerDeps extends EvalDeps {
  readonly runs: RunRegistry;
  /** A runner asking the agent with `model`; absent when no agent is configured. */
  readonly runnerFor?: ((model: string) => AgentRunner) | undefined;
  /** Concurrency of a run that asks for 0. */
  readonly defaultConcurrency: number;
  /** The LLM judge, when a judge model is configured; runs asking for it fail without one. */
  readonly judge?: JudgeSettings | undefined;
}
