/** A CRM record found by a fuzzy lookup, best first; `score` is 0..1 (1 = exact). */
export interface EntityMatch {
  readonly id: string;
  readonly name: string;
  readonly score: number;
}

/**
 * Resolves names in a seller's request against CRM data, always as the end
 * user: the production binding calls the CRM gRPC service with the user's
 * principal, so records outside the user's territories are never returned.
 * Every method returns matches best first and an empty list when nothing
 * matches; none of them throws for "not found".
 */
export interface EntityResolver {
  /** Visible accounts whose name or domain resembles `query` ("acme corp", "ACME", "acmee"). */
  findAccounts(query: string): Promise<readonly EntityMatch[]>;
  /** Contacts of a visible account by name or title. */
  findContacts(
    accountId: string,
    query: string,
  ): Promise<readonly EntityMatch[]>;
  /** Opportunities of a visible account by name; an empty query lists the open ones. */
  findOpportunities(
    accountId: string,
    query: string,
  ): Promise<readonly EntityMatch[]>;
  /** Use cases of a visible account by name; an empty query lists them all. */
  findUseCases(
    accountId: string,
    query: string,
  ): Promise<readonly EntityMatch[]>;
}

/**
 * Turns texts into vectors of one fixed dimension, one per text, in order.
 * Vectors are compared by cosine similarity. The production binding is the
 * retrieval service's Embed RPC; the default is {@link createHashedEmbedder}.
 */
export interface Embedder {
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * What the planner knows about one tool beyond the model-facing `ChatTool`:
 * the seller phrasings the semantic router compares requests with.
 */
export interface PlannerToolSpec {
  readonly name: string;
  readonly description?: string;
  readonly examples: readonly string[];
}
