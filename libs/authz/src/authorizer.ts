import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Adapter } from 'casbin';
import type { Logger } from 'pino';
import {
  DependencyUnavailableError,
  FieldwiseError,
  toFieldwiseError,
} from '@fieldwise/errors';
import type { AuthzRequest } from './authz-request.js';
import { explainDecision, type Explanation } from './decide.js';
import type {
  Decision,
  DocumentClassesDecision,
  TerritoryScopeDecision,
} from './decision.js';
import { DOCUMENT_CLASSES, type DocumentClass } from './document-classes.js';
import { watchPolicyFile, type PolicyWatch } from './file-watcher.js';
import { DEFAULT_MODEL_PATH, parseModel } from './model.js';
import {
  formatPolicyLine,
  parsePolicyText,
  validatePolicyRows,
  type PolicyLine,
} from './policy-lines.js';
import {
  buildSnapshot,
  loadAdapterRows,
  type PolicySnapshot,
} from './policy-snapshot.js';
import type { AuthzPrincipal } from './principal.js';

/** Where the policy lines come from. */
export type PolicySource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'text'; readonly csv: string }
  | { readonly kind: 'adapter'; readonly adapter: Adapter };

/** Options of {@link createAuthorizer}. */
export interface AuthorizerOptions {
  /** Casbin model text; the shipped `policy/model.conf` when absent. */
  readonly modelText?: string;
  readonly policySource: PolicySource;
  readonly logger: Logger;
}

/** The outcome of one reload, as reported to {@link Authorizer.onReload} listeners. */
export type ReloadEvent =
  | { readonly ok: true; readonly version: number; readonly lines: number }
  | {
      readonly ok: false;
      /** The version still being served. */
      readonly version: number;
      readonly error: FieldwiseError;
    };

/** Resolves a manager's team territories when the principal does not carry them. */
export interface TeamDirectory {
  teamTerritories(principal: AuthzPrincipal): readonly string[];
}

/**
 * Answers every authorization question of Fieldwise from one Casbin model
 * and policy. Decisions are synchronous, never throw, and fail closed; each
 * names the rule that decided.
 */
export interface Authorizer {
  /** May the principal call this gateway route? `tenant` is the tenant the call touches (default: the principal's). */
  canCallRoute(
    principal: AuthzPrincipal,
    method: string,
    path: string,
    options?: { readonly tenant?: string },
  ): Decision;
  /** May the principal (or the agent acting for it) invoke this agent tool? */
  canUseTool(principal: AuthzPrincipal, tool: string): Decision;
  /** May the principal read this tenant's audit stream (`events` by default)? */
  canReadAudit(
    principal: AuthzPrincipal,
    tenant: string,
    stream?: string,
  ): Decision;
  /** Which territories' rows the principal sees; `directory` resolves team territories if given. */
  territoryScope(
    principal: AuthzPrincipal,
    directory?: TeamDirectory,
  ): TerritoryScopeDecision;
  /** The document classes retrieval may return to the principal. */
  visibleDocumentClasses(principal: AuthzPrincipal): DocumentClassesDecision;
  /** Any request kind, decided. */
  decide(principal: AuthzPrincipal, request: AuthzRequest): Decision;
  /** A decision with every subject evaluation behind it. */
  explain(principal: AuthzPrincipal, request: AuthzRequest): Explanation;
  /** The policy lines that apply to a tenant (its own, `*`, and role inheritance), as text. */
  effectivePolicy(tenant: string): readonly string[];
  /** The validated lines currently served. */
  readonly lines: readonly PolicyLine[];
  /** Increases by one on every successful reload. */
  readonly policyVersion: number;
  /**
   * Re-reads the policy source and swaps the new policy in atomically.
   * Rejects with the validation error on a bad policy and keeps serving the
   * previous one. Reloads run one at a time, in call order.
   */
  reload(): Promise<{ readonly version: number; readonly lines: number }>;
  /** Reloads when the policy file changes (file sources only). */
  watch(options?: { readonly debounceMs?: number }): PolicyWatch;
  /** Subscribes to reload outcomes; returns the unsubscribe function. */
  onReload(listener: (event: ReloadEvent) => void): () => void;
  /** Stops every file watch started by {@link Authorizer.watch}. */
  close(): void;
}

/**
 * Loads the model and policy and returns a ready {@link Authorizer}. Rejects
 * with `CONFIG_INVALID` for a bad model, `VALIDATION_FAILED` for a bad
 * policy, `DEPENDENCY_UNAVAILABLE` when an adapter cannot load. An empty
 * policy is valid: every decision is then `default-deny`.
 */
export async function createAuthorizer(
  options: AuthorizerOptions,
): Promise<Authorizer> {
  const logger = options.logger.child({ component: 'authz' });
  const modelText =
    options.modelText ?? (await readText(DEFAULT_MODEL_PATH, 'model'));
  parseModel(modelText);
  const source = options.policySource;

  const load = async (version: number): Promise<PolicySnapshot> => {
    const lines = await loadLines(source, modelText);
    if (lines.length === 0) {
      logger.warn(
        { source: describeSource(source) },
        'policy is empty: every decision is default-deny',
      );
    }
    return buildSnapshot(modelText, lines, version, logger);
  };

  let current = await load(1);
  logger.info(
    {
      version: current.version,
      lines: current.lines.length,
      source: describeSource(source),
    },
    'policy loaded',
  );
  const listeners = new Set<(event: ReloadEvent) => void>();
  const watches = new Set<PolicyWatch>();
  let queue: Promise<unknown> = Promise.resolve();

  const emit = (event: ReloadEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error({ err: error }, 'reload listener threw');
      }
    }
  };

  const reloadNow = async (): Promise<{ version: number; lines: number }> => {
    try {
      const next = await load(current.version + 1);
      current = next;
      logger.info(
        { version: next.version, lines: next.lines.length },
        'policy reloaded',
      );
      const result = { version: next.version, lines: next.lines.length };
      emit({ ok: true, ...result });
      return result;
    } catch (error) {
      const typed = toFieldwiseError(error);
      logger.error(
        { err: typed, version: current.version },
        'policy reload rejected; keeping the previous policy',
      );
      emit({ ok: false, version: current.version, error: typed });
      throw typed;
    }
  };

  const explain = (
    principal: AuthzPrincipal,
    request: AuthzRequest,
  ): Explanation => explainDecision(current, principal, request);
  const decide = (principal: AuthzPrincipal, request: AuthzRequest): Decision =>
    explain(principal, request).decision;

  const authorizer: Authorizer = {
    canCallRoute: (principal, method, path, routeOptions) =>
      decide(principal, {
        kind: 'route',
        method,
        path,
        ...(routeOptions?.tenant !== undefined
          ? { tenant: routeOptions.tenant }
          : {}),
      }),
    canUseTool: (principal, tool) => decide(principal, { kind: 'tool', tool }),
    canReadAudit: (principal, tenant, stream) =>
      decide(principal, {
        kind: 'audit',
        tenant,
        action: 'read',
        ...(stream !== undefined ? { stream } : {}),
      }),
    territoryScope: (principal, directory) => {
      const all = decide(principal, { kind: 'territory', scope: 'all' });
      if (all.allowed) return { kind: 'all', decision: all };
      const team = decide(principal, { kind: 'territory', scope: 'team' });
      if (team.allowed) {
        return territoriesOrNone(
          directory
            ? directory.teamTerritories(principal)
            : principal.territories,
          team,
        );
      }
      const own = decide(principal, { kind: 'territory', scope: 'own' });
      if (own.allowed) return territoriesOrNone(principal.territories, own);
      return { kind: 'none', decision: own };
    },
    visibleDocumentClasses: (principal) => {
      const decisions = Object.fromEntries(
        DOCUMENT_CLASSES.map((documentClass) => [
          documentClass,
          decide(principal, { kind: 'document-class', documentClass }),
        ]),
      ) as Record<DocumentClass, Decision>;
      return {
        classes: DOCUMENT_CLASSES.filter((c) => decisions[c].allowed),
        decisions,
      };
    },
    decide,
    explain,
    effectivePolicy: (tenant) =>
      current.lines
        .filter(
          (line) =>
            line.kind === 'g' || line.domain === '*' || line.domain === tenant,
        )
        .map(formatPolicyLine),
    get lines() {
      return current.lines;
    },
    get policyVersion() {
      return current.version;
    },
    reload: () => {
      const run = queue.then(reloadNow);
      queue = run.catch(() => undefined);
      return run;
    },
    watch: (watchOptions) => {
      if (source.kind !== 'file') {
        throw new FieldwiseError(
          'CONFIG_INVALID',
          `watch() needs a file policy source, not '${source.kind}'`,
        );
      }
      const watch = watchPolicyFile({
        path: source.path,
        debounceMs: watchOptions?.debounceMs ?? 100,
        logger,
        onChange: () => {
          authorizer.reload().catch(() => {
            // Already logged and reported to listeners; the old policy stays.
          });
        },
      });
      watches.add(watch);
      return {
        close: () => {
          watches.delete(watch);
          watch.close();
        },
      };
    },
    onReload: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      for (const watch of watches) watch.close();
      watches.clear();
    },
  };
  return authorizer;
}

function territoriesOrNone(
  territories: readonly string[],
  decision: Decision,
): TerritoryScopeDecision {
  const unique = [...new Set(territories)].sort();
  if (unique.length > 0)
    return { kind: 'territories', territories: unique, decision };
  return {
    kind: 'none',
    decision: {
      ...decision,
      allowed: false,
      reason: `${decision.reason}, but no territories are assigned`,
    },
  };
}

async function loadLines(
  source: PolicySource,
  modelText: string,
): Promise<readonly PolicyLine[]> {
  switch (source.kind) {
    case 'file':
      return parsePolicyText(
        await readText(source.path, 'policy'),
        basename(source.path),
      );
    case 'text':
      return parsePolicyText(source.csv, 'policy');
    case 'adapter': {
      let rows: { tokens: string[]; source: string }[];
      try {
        rows = await loadAdapterRows(modelText, source.adapter);
      } catch (error) {
        throw new DependencyUnavailableError('policy adapter', error);
      }
      return validatePolicyRows(rows);
    }
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new FieldwiseError(
      'CONFIG_INVALID',
      `Cannot read the ${what} file ${path}`,
      {
        cause: error,
        context: { path },
      },
    );
  }
}

function describeSource(source: PolicySource): string {
  return source.kind === 'file' ? `file:${source.path}` : source.kind;
}
