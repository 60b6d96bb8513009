import {
  findAccountMention,
  judgeMatches,
  type AccountMention,
} from './account-mention.js';
import {
  isRecord,
  type ConversationState,
  type TurnToolCall,
} from './conversation-state.js';
import type { JsonSchema } from '@fieldwise/llm';
import type { PlannerVocabulary } from './crm-values.js';
import type { EntityMatch, EntityResolver } from './ports.js';
import type { SemanticRouter } from './semantic-router.js';
import {
  ACCOUNT_TOOLS,
  OPTIONAL_ACCOUNT_TOOLS,
  fillArguments,
} from './tool-arguments.js';

/** A tool call the planner wants run. */
export interface PlannedCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/**
 * The next step of a turn: run tools, write the answer from the results,
 * or say something without tools (a clarifying question, "not found").
 */
export type PlannerStep =
  | { readonly kind: 'calls'; readonly calls: readonly PlannedCall[] }
  | { readonly kind: 'answer'; readonly intents: readonly string[] }
  | { readonly kind: 'text'; readonly text: string };

/** What planning a turn needs. */
export interface PlanContext {
  readonly resolver: EntityResolver;
  readonly router: SemanticRouter;
  readonly vocabulary: PlannerVocabulary;
  readonly today: Date;
  /** Tool names offered in this request. */
  readonly offered: ReadonlySet<string>;
  /** JSON Schema of each offered tool's arguments (allow-lists are read from it). */
  readonly parameters?: ReadonlyMap<string, JsonSchema>;
}

/** Rounds after which the planner answers with what it has. */
const MAX_ROUNDS = 3;

/**
 * Decides the next step from the request and this turn's results so far.
 * Stateless: it re-derives the plan every round and runs only the planned
 * tools not yet called, so the same conversation always gives the same
 * step. Account ids come from the user's words, the `find_accounts` result
 * (its ids only) or earlier turns; never from free text a tool returned.
 */
export async function planTurn(
  ctx: PlanContext,
  state: ConversationState,
): Promise<PlannerStep> {
  const mention = await findAccountMention(ctx.resolver, state.message);
  // Route without the account's name: it says which record, not what to do.
  const routingText =
    mention === undefined
      ? state.message
      : state.message.replace(mention.query, ' ');
  const routed = await ctx.router.route(routingText);
  const intents = routed.map((r) => r.name).filter((n) => ctx.offered.has(n));
  if (intents.length === 0) {
    return state.calls.length > 0
      ? { kind: 'answer', intents }
      : {
          kind: 'text',
          text:
            'I can look up accounts, account 360 views, consumption, support cases, similar customers, ' +
            'hygiene alerts and sales collateral, summarise meetings, draft emails and proposals, and ' +
            'update opportunities. Could you rephrase what you need?',
        };
  }
  if (state.rounds >= MAX_ROUNDS) return { kind: 'answer', intents };
  const called = new Set(state.calls.map((c) => c.name));
  const needsAccount =
    intents.some((n) => ACCOUNT_TOOLS.has(n)) ||
    (intents.some((n) => OPTIONAL_ACCOUNT_TOOLS.has(n)) &&
      mention !== undefined &&
      judgeMatches(mention.matches).kind !== 'none');
  const lookupOnly = intents.length === 1 && intents[0] === 'find_accounts';

  let accountId: string | undefined;
  let accountQuery: string | undefined;
  let planned = intents;
  if (needsAccount || lookupOnly) {
    const resolved = await resolveAccount(ctx, state, mention, lookupOnly);
    if (resolved.kind === 'unnamed') {
      // No account anywhere: a question the router only guessed at is more
      // likely about the collateral than about an unnamed account.
      const guessed = routed.every((r) => r.by === 'semantic');
      if (
        guessed &&
        ctx.offered.has('search_collateral') &&
        !called.has('search_collateral')
      ) {
        return {
          kind: 'calls',
          calls: [
            {
              name: 'search_collateral',
              arguments: { query: state.message.trim().slice(0, 500) },
            },
          ],
        };
      }
      if (called.has('search_collateral')) return { kind: 'answer', intents };
      return {
        kind: 'text',
        text: 'Which account do you mean? Please give me its name.',
      };
    }
    if (resolved.kind === 'missing') {
      // The account is unknown or not visible: still do what needs none.
      const rest = intents.filter(
        (n) => !ACCOUNT_TOOLS.has(n) && n !== 'find_accounts',
      );
      if (rest.length === 0)
        return { kind: 'text', text: notFoundText(resolved.query) };
      planned = rest;
    } else if (resolved.kind !== 'account') {
      return resolved.step;
    } else {
      accountId = resolved.id;
      accountQuery = resolved.query;
    }
  }
  if (lookupOnly) {
    return called.has('find_accounts')
      ? { kind: 'answer', intents }
      : {
          kind: 'calls',
          calls: [
            { name: 'find_accounts', arguments: { query: accountQuery ?? '' } },
          ],
        };
  }
  const calls: PlannedCall[] = [];
  for (const tool of planned) {
    if (tool === 'find_accounts' || called.has(tool)) continue;
    const outcome = await fillArguments(tool, {
      message: state.message,
      resolver: ctx.resolver,
      vocabulary: ctx.vocabulary,
      today: ctx.today,
      ...(accountId === undefined ? {} : { accountId }),
      ...(accountQuery === undefined ? {} : { accountQuery }),
      ...(ctx.parameters?.get(tool) === undefined
        ? {}
        : { parameters: ctx.parameters.get(tool) }),
    });
    if (outcome.kind === 'question')
      return { kind: 'text', text: outcome.text };
    calls.push({ name: tool, arguments: outcome.arguments });
  }
  return calls.length > 0
    ? { kind: 'calls', calls }
    : { kind: 'answer', intents };
}

type AccountResolution =
  | { readonly kind: 'account'; readonly id?: string; readonly query?: string }
  | { readonly kind: 'unnamed' }
  | { readonly kind: 'missing'; readonly query: string }
  | { readonly kind: 'step'; readonly step: PlannerStep };

const ACCOUNT_ID = /\b(acc-[a-z0-9]+-\d+)\b/i;

async function resolveAccount(
  ctx: PlanContext,
  state: ConversationState,
  mention: AccountMention | undefined,
  lookupOnly: boolean,
): Promise<AccountResolution> {
  const explicit = ACCOUNT_ID.exec(state.message)?.[1];
  if (explicit !== undefined && !lookupOnly)
    return { kind: 'account', id: explicit.toLowerCase() };
  const lookup = state.calls.find(
    (c) => c.name === 'find_accounts' && c.result !== undefined,
  );
  if (lookup !== undefined && !lookupOnly) return fromLookupResult(lookup);
  if (lookupOnly)
    return {
      kind: 'account',
      query: mention?.query ?? lookupPhrase(state.message),
    };
  if (mention !== undefined) {
    const verdict = judgeMatches(mention.matches);
    if (verdict.kind === 'ambiguous')
      return {
        kind: 'step',
        step: {
          kind: 'text',
          text: clarifyAccount(mention.query, verdict.options),
        },
      };
    if (ctx.offered.has('find_accounts')) {
      return {
        kind: 'step',
        step: {
          kind: 'calls',
          calls: [
            { name: 'find_accounts', arguments: { query: mention.query } },
          ],
        },
      };
    }
    return verdict.kind === 'clear'
      ? { kind: 'account', id: verdict.match.id, query: mention.query }
      : notFound(mention.query);
  }
  const remembered = rememberedAccount(state);
  if (remembered !== undefined) return { kind: 'account', id: remembered };
  for (const earlier of [...state.earlierUserMessages].reverse()) {
    const previous = await findAccountMention(ctx.resolver, earlier);
    const verdict = judgeMatches(previous?.matches ?? []);
    if (verdict.kind === 'clear') {
      return {
        kind: 'account',
        id: verdict.match.id,
        query: previous?.query ?? verdict.match.name,
      };
    }
  }
  return { kind: 'unnamed' };
}

function fromLookupResult(lookup: TurnToolCall): AccountResolution {
  const query =
    typeof lookup.arguments.query === 'string' ? lookup.arguments.query : '';
  const result = lookup.result;
  if (result === undefined || result.untrusted || result.error !== undefined) {
    return notFound(query);
  }
  const verdict = judgeMatches(accountMatchesOf(result.value));
  if (verdict.kind === 'ambiguous')
    return {
      kind: 'step',
      step: { kind: 'text', text: clarifyAccount(query, verdict.options) },
    };
  return verdict.kind === 'clear'
    ? { kind: 'account', id: verdict.match.id, query }
    : notFound(query);
}

/** The `{ id, name, score }` items of a find_accounts result, best first. */
export function accountMatchesOf(value: unknown): EntityMatch[] {
  const list = Array.isArray(value)
    ? value
    : isRecord(value)
      ? ([value.accounts, value.items, value.matches].find(Array.isArray) ?? [])
      : [];
  const out: EntityMatch[] = [];
  for (const entry of list as unknown[]) {
    if (!isRecord(entry)) continue;
    // The contract nests the account ({ account, score }); accept it flat too.
    const account = isRecord(entry.account) ? entry.account : entry;
    if (typeof account.id !== 'string' || typeof account.name !== 'string')
      continue;
    out.push({
      id: account.id,
      name: account.name,
      score: typeof entry.score === 'number' ? entry.score : 1,
    });
  }
  return out;
}

function notFound(query: string): AccountResolution {
  return { kind: 'missing', query };
}

/** What the user is told when no visible account matches. */
export function notFoundText(query: string): string {
  return `I couldn't find an account matching "${query}" among the accounts you can see.`;
}

function clarifyAccount(
  query: string,
  matches: readonly EntityMatch[],
): string {
  const names = matches.map((m) => m.name);
  const list =
    names.length > 1
      ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`
      : names[0];
  return `"${query}" matches more than one account. Which one do you mean: ${list ?? ''}?`;
}

function rememberedAccount(state: ConversationState): string | undefined {
  for (const args of state.earlierToolArguments) {
    if (typeof args.accountId === 'string') return args.accountId;
  }
  return undefined;
}

function lookupPhrase(message: string): string {
  const m = /\b(?:named|called|matching|for|like)\s+(.+?)[?.!]*$/i.exec(
    message,
  );
  return m?.[1]?.trim() ?? '';
}
