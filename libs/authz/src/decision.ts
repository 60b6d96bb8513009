import type { DocumentClass } from './document-classes.js';

/** The rule named by a decision that no policy line allowed. */
export const DEFAULT_DENY = 'default-deny';

/**
 * The answer to one authorization question. Every decision, allow or deny,
 * names the rule that decided so it can be audited.
 */
export interface Decision {
  readonly allowed: boolean;
  /** The deciding policy line (`p, role:seller, *, /v1/chat, POST, allow`) or `default-deny`. */
  readonly rule: string;
  /** Where the rule comes from (`policy.csv:17`), when it is a policy line. */
  readonly ruleSource?: string;
  /** A sentence for logs and audit events. Never contains payloads. */
  readonly reason: string;
  /** True when the evaluation identity impersonates the principal for an evaluation run. */
  readonly impersonated: boolean;
  /** The service identity acting for the principal, if any (`service:agent:<id>`). */
  readonly actor?: string;
  /** The policy line that let the actor do this (the other half of the intersection). */
  readonly actorRule?: string;
}

/** Which territories' rows a principal may see. */
export type TerritoryScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'territories'; readonly territories: readonly string[] }
  | { readonly kind: 'none' };

/** A territory scope together with the decision that produced it. */
export type TerritoryScopeDecision = TerritoryScope & {
  readonly decision: Decision;
};

/** The document classes a principal may retrieve, with the decision per class. */
export interface DocumentClassesDecision {
  readonly classes: readonly DocumentClass[];
  readonly decisions: Readonly<Record<DocumentClass, Decision>>;
}
