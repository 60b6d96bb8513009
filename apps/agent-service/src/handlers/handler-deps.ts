import type { ModelInfo } from '@fieldwise/contracts';
import type { Outbox } from '@fieldwise/events';
import type { TurnDeps } from '../domain/loop/run-turn.js';

/** What the agent's gRPC handlers are built from. */
export interface AgentHandlerDeps {
  readonly turn: TurnDeps;
  /** Where feedback events go (and audit, through `turn.audit`). */
  readonly outbox: Outbox;
  /** The models this agent answers with; the first is the default. */
  readonly models: readonly ModelInfo[];
}
