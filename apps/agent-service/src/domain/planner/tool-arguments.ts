import { nameCandidates } from './account-mention.js';
import { parseAmount, parsePercent } from './amounts.js';
import {
  findCompetitor,
  findField,
  findProductLine,
  findStage,
  mentionsForecastCategory,
  stageFor,
  UPDATABLE_FIELDS,
  type CrmEntity,
  type PlannerVocabulary,
} from './crm-values.js';
import {
  monthsBack,
  parseDate,
  parseHorizonDays,
  parseMonths,
} from './dates.js';
import type { JsonSchema } from '@fieldwise/llm';
import type { EntityMatch, EntityResolver } from './ports.js';

/** Tools whose arguments need an account id. */
export const ACCOUNT_TOOLS: ReadonlySet<string> = new Set([
  'account_360',
  'product_consumption',
  'support_cases',
  'similar_customers',
  'update_crm_field',
  'draft_email',
  'create_proposal',
]);

/** Tools that take an account id when the request names one. */
export const OPTIONAL_ACCOUNT_TOOLS: ReadonlySet<string> = new Set([
  'hygiene_alerts',
]);

/** What argument filling knows about the request. */
export interface ArgumentContext {
  readonly message: string;
  readonly resolver: EntityResolver;
  readonly vocabulary: PlannerVocabulary;
  readonly today: Date;
  readonly accountId?: string;
  /** The phrase that named the account (left out of contact and record lookups). */
  readonly accountQuery?: string;
  /** The tool's argument schema, when offered: its enums bound what is planned. */
  readonly parameters?: JsonSchema;
}

/** The `enum` of a top-level property of a JSON Schema, if it has one. */
export function enumOf(
  schema: JsonSchema | undefined,
  property: string,
): readonly string[] | undefined {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null) return undefined;
  const prop = (properties as Record<string, unknown>)[property];
  if (typeof prop !== 'object' || prop === null) return undefined;
  const values = (prop as Record<string, unknown>).enum;
  return Array.isArray(values) && values.every((v) => typeof v === 'string')
    ? values
    : undefined;
}

/** Arguments for a tool, or a question to ask the user instead. */
export type ArgumentOutcome =
  | { readonly kind: 'arguments'; readonly arguments: Record<string, unknown> }
  | { readonly kind: 'question'; readonly text: string };

const args = (value: Record<string, unknown>): ArgumentOutcome => ({
  kind: 'arguments',
  arguments: value,
});

/** Longest `search_collateral` query the tool accepts. */
const MAX_QUERY = 500;

/**
 * Fills the arguments of `tool`, shaped as the agent's tool schemas take
 * them: dates, amounts, stages, fields, products and competitors are parsed
 * from the text; contacts, opportunities and use cases are resolved
 * through the resolver (as the user). Nothing here reads tool results, so
 * text a tool returned can never shape a call.
 */
export async function fillArguments(
  tool: string,
  ctx: ArgumentContext,
): Promise<ArgumentOutcome> {
  const { message, vocabulary, today, accountId } = ctx;
  const account = accountId === undefined ? {} : { accountId };
  switch (tool) {
    case 'find_accounts':
      return args({ query: ctx.accountQuery ?? '' });
    case 'account_360':
    case 'similar_customers':
      return args({ ...account });
    case 'product_consumption': {
      const months = parseMonths(message);
      const line = findProductLine(message, vocabulary);
      return args({
        ...account,
        ...(months === undefined
          ? {}
          : { fromMonth: monthsBack(today, months) }),
        ...(line === undefined ? {} : { productLines: [line.id] }),
      });
    }
    case 'support_cases': {
      const severities = [
        ...message.matchAll(/\b(?:s|sev|p|severity\s*)([1-4])\b/gi),
      ].map((m) => `SEV${m[1] ?? ''}`);
      return args({
        ...account,
        ...(/\b(all|closed|resolved|history|historical)\b/i.test(message)
          ? { includeClosed: true }
          : {}),
        ...(severities.length > 0
          ? { severities: [...new Set(severities)] }
          : {}),
      });
    }
    case 'hygiene_alerts': {
      const horizonDays = parseHorizonDays(message, today);
      return args({
        ...(horizonDays === undefined ? {} : { horizonDays }),
        ...account,
      });
    }
    case 'search_collateral':
      return args({
        query: message.trim().slice(0, MAX_QUERY),
        ...collateralFilters(message, vocabulary),
      });
    case 'summarize_meeting':
      return args({ notes: meetingText(message) });
    case 'draft_email':
      return args({ ...account, ...(await emailDetails(ctx)) });
    case 'create_proposal':
      return args({ ...account, ...(await proposalDetails(ctx)) });
    case 'update_crm_field':
      return fieldUpdate(ctx);
    default:
      return args({});
  }
}

function collateralFilters(
  message: string,
  vocabulary: PlannerVocabulary,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const competitor = findCompetitor(message, vocabulary);
  if (
    competitor !== undefined &&
    /\b(battle ?cards?|against|versus|vs\.?|compete|competitive|displace)\b/i.test(
      message,
    )
  )
    out.competitors = [competitor];
  if (/\bbattle ?cards?\b/i.test(message)) out.types = ['battlecard'];
  else if (/\bcase stud(y|ies)\b/i.test(message)) out.types = ['case_study'];
  else if (/\bplaybooks?\b/i.test(message)) out.types = ['playbook'];
  else if (/\bpitch decks?\b/i.test(message)) out.types = ['pitch_deck'];
  return out;
}

function meetingText(message: string): string {
  const colon = message.indexOf(':');
  const newline = message.indexOf('\n');
  const cut = [colon, newline].filter((i) => i >= 0 && i < 200);
  const body = cut.length > 0 ? message.slice(Math.min(...cut) + 1).trim() : '';
  return body.length >= 20 ? body : message.trim();
}

const TITLE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  cto: 'Chief Technology Officer',
  cfo: 'Chief Financial Officer',
  ceo: 'Chief Executive Officer',
  cio: 'Chief Information Officer',
  cdo: 'Chief Data Officer',
};

async function findContact(
  ctx: ArgumentContext,
  accountId: string,
): Promise<EntityMatch | undefined> {
  const title = /\b(cto|cfo|ceo|cio|cdo)\b/i
    .exec(ctx.message)?.[1]
    ?.toLowerCase();
  const queries = nameCandidates(ctx.message)
    .filter((c) => c.suffix !== true)
    .map((c) => c.text)
    .filter((t) => t.toLowerCase() !== ctx.accountQuery?.toLowerCase());
  if (title !== undefined) queries.unshift(TITLE_ABBREVIATIONS[title] ?? title);
  for (const query of queries.slice(0, 4)) {
    const top = (await ctx.resolver.findContacts(accountId, query))[0];
    if (top && top.score >= 0.7) return top;
  }
  return undefined;
}

async function emailDetails(
  ctx: ArgumentContext,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (ctx.accountId !== undefined) {
    const contact = await findContact(ctx, ctx.accountId);
    if (contact) out.contactId = contact.id;
  }
  out.kind = /\b(prospect|prospecting|intro|introduction|cold)\b/i.test(
    ctx.message,
  )
    ? 'prospecting'
    : 'follow_up';
  const topic =
    /\b(?:about|regarding|re:|on the topic of|covering)\s+(.+?)[.?!]*$/i
      .exec(ctx.message)?.[1]
      ?.trim();
  if (topic) out.notes = topic.slice(0, 2000);
  return out;
}

async function proposalDetails(
  ctx: ArgumentContext,
): Promise<Record<string, unknown>> {
  const line = findProductLine(ctx.message, ctx.vocabulary);
  if (line === undefined || ctx.accountId === undefined) return {};
  const top = (
    await ctx.resolver.findOpportunities(ctx.accountId, line.name)
  )[0];
  return top && top.score >= 0.5 ? { opportunityId: top.id } : {};
}

/** Fields whose value is free text taken from the request. */
const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'next_step',
  'blockers',
]);

const RECORD_KINDS =
  /\b(renewal|expansion|new business|proof of concept|poc)\b/i;

async function fieldUpdate(ctx: ArgumentContext): Promise<ArgumentOutcome> {
  const { message, today } = ctx;
  const stage = findStage(message);
  const named = findField(message);
  if (named === undefined && mentionsForecastCategory(message)) {
    return {
      kind: 'question',
      text: 'I can change the stage, close date, amount, next step or probability of an opportunity, but not its forecast category. Which of those should I change?',
    };
  }
  const amount = parseAmount(message);
  const percent = parsePercent(message);
  const date = parseDate(message, today);
  const entity: CrmEntity =
    named?.entity ??
    (/\buse[- ]?case\b/i.test(message)
      ? 'use_case'
      : (stage?.entity ?? 'opportunity'));
  const field =
    named?.field ??
    (stage !== undefined
      ? 'stage'
      : percent !== undefined
        ? 'probability'
        : amount !== undefined
          ? 'amount'
          : date !== undefined
            ? entity === 'use_case'
              ? 'go_live_date'
              : 'close_date'
            : undefined);
  if (field === undefined) {
    return {
      kind: 'question',
      text: 'Which field should I change, and to what value?',
    };
  }
  const allowed = enumOf(ctx.parameters, 'field') ?? [
    ...UPDATABLE_FIELDS.opportunity,
    ...UPDATABLE_FIELDS.use_case,
  ];
  if (!allowed.includes(field)) {
    return {
      kind: 'question',
      text: `I can't change the ${field.replace(/_/g, ' ')} here. Fields I can change: ${allowed.map((f) => f.replace(/_/g, ' ')).join(', ')}. Which should it be?`,
    };
  }
  const explicitId = /\b((?:opp|uc)-[a-z0-9]+-\d+)\b/i.exec(message)?.[1];
  let id = explicitId?.toLowerCase();
  const recordEntity: CrmEntity =
    id?.startsWith('uc-') === true
      ? 'use_case'
      : id?.startsWith('opp-') === true
        ? 'opportunity'
        : entity;
  const value = await fieldValue(ctx, recordEntity, field, {
    stage: stage?.value,
    amount,
    percent,
    date,
  });
  if (value === undefined) {
    return {
      kind: 'question',
      text: `What should the new ${field.replace(/_/g, ' ')} be?`,
    };
  }
  if (id === undefined) {
    if (ctx.accountId === undefined) {
      return { kind: 'question', text: 'Which account is the record on?' };
    }
    // A free-text value ("… to Schedule the review") does not name the record.
    const recordText = FREE_TEXT_FIELDS.has(field)
      ? message.replace(/\s+to\s*:?\s+[^]*$/i, '')
      : message;
    const record = await findRecord(
      { ...ctx, message: recordText },
      ctx.accountId,
      recordEntity,
    );
    if (record.kind === 'question') return record;
    id = record.id;
  }
  return args({
    entityType: recordEntity,
    entityId: id,
    field,
    newValue: value,
  });
}

async function fieldValue(
  ctx: ArgumentContext,
  entity: CrmEntity,
  field: string,
  parsed: { stage?: string; amount?: number; percent?: number; date?: string },
): Promise<string | undefined> {
  switch (field) {
    case 'stage':
      return parsed.stage === undefined
        ? undefined
        : stageFor(entity, parsed.stage);
    case 'amount':
      return parsed.amount === undefined
        ? undefined
        : parsed.amount.toFixed(2).replace(/\.00$/, '');
    case 'probability':
      return parsed.percent === undefined
        ? undefined
        : String(Math.round(parsed.percent));
    case 'close_date':
    case 'go_live_date':
      return parsed.date;
    case 'executive_sponsor_contact_id':
      return ctx.accountId === undefined
        ? undefined
        : (await findContact(ctx, ctx.accountId))?.id;
    case 'blockers': {
      const text = freeText(ctx.message);
      return text === undefined
        ? undefined
        : JSON.stringify(text.split(/\s*;\s*|\s+and\s+/).filter(Boolean));
    }
    default:
      return freeText(ctx.message);
  }
}

/** The quoted text, or what follows the last "to"/"as": a next step, a description. */
function freeText(message: string): string | undefined {
  const quoted = /["“]([^"”]{2,500})["”]/.exec(message)?.[1];
  const after = /.*\b(?:to|as)\s*:?\s+(.{2,500}?)[.!]?$/is.exec(message)?.[1];
  return (quoted ?? after)?.trim();
}

async function findRecord(
  ctx: ArgumentContext,
  accountId: string,
  entity: CrmEntity,
): Promise<
  { kind: 'record'; id: string } | { kind: 'question'; text: string }
> {
  const line = findProductLine(ctx.message, ctx.vocabulary);
  const recordKind = RECORD_KINDS.exec(ctx.message)?.[1];
  const descriptor = [line?.name, recordKind, recordNamePhrase(ctx)]
    .filter(Boolean)
    .join(' ');
  const matches =
    entity === 'use_case'
      ? await ctx.resolver.findUseCases(accountId, descriptor)
      : await ctx.resolver.findOpportunities(accountId, descriptor);
  const top = matches[0];
  const noun = entity === 'use_case' ? 'use case' : 'opportunity';
  if (!top) {
    return {
      kind: 'question',
      text: `I found no matching ${noun} on that account. Which one do you mean?`,
    };
  }
  const tied = matches.filter((m) => m.score >= top.score - 0.001);
  if (tied.length > 1) {
    return {
      kind: 'question',
      text: `Which ${noun} do you mean: ${tied
        .slice(0, 5)
        .map((m) => `${m.name} (${m.id})`)
        .join('; ')}?`,
    };
  }
  return { kind: 'record', id: top.id };
}

/**
 * The phrase that names the record itself ("SaaS connectors" in "the Acme
 * SaaS connectors use case"): the longest name candidate sharing no word
 * with the account phrase.
 */
function recordNamePhrase(ctx: ArgumentContext): string | undefined {
  const accountWords = new Set(
    (ctx.accountQuery ?? '').toLowerCase().split(/\s+/),
  );
  return nameCandidates(ctx.message)
    .map((c) => c.text)
    .find((text) =>
      text
        .toLowerCase()
        .split(/\s+/)
        .every((w) => !accountWords.has(w)),
    );
}
