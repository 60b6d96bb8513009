/** Which CRM record a field or stage belongs to. */
export type CrmEntity = 'opportunity' | 'use_case';

/** Opportunity stages as the CRM contract names them (`update_crm_field` values). */
export const OPPORTUNITY_STAGES = [
  'PROSPECTING',
  'QUALIFICATION',
  'DISCOVERY',
  'PROPOSAL',
  'NEGOTIATION',
  'CLOSED_WON',
  'CLOSED_LOST',
] as const;

/** Use-case stages as the CRM contract names them. */
export const USE_CASE_STAGES = [
  'DISCOVERY',
  'EVALUATION',
  'IMPLEMENTATION',
  'LIVE',
  'ON_HOLD',
  'LOST',
] as const;

/**
 * The fields `update_crm_field` may change, per record type, when the
 * offered tool's schema does not say (it wins when it does).
 */
export const UPDATABLE_FIELDS: Readonly<Record<CrmEntity, readonly string[]>> =
  {
    opportunity: ['stage', 'close_date', 'amount', 'next_step', 'currency'],
    use_case: [
      'stage',
      'go_live_date',
      'executive_sponsor_contact_id',
      'blockers',
    ],
  };

interface StageAlias {
  readonly pattern: RegExp;
  /** Undefined when the word fits both record types ("discovery"). */
  readonly entity?: CrmEntity;
  readonly value: string;
}

const STAGE_ALIASES: readonly StageAlias[] = [
  {
    pattern: /\bclosed[ -]?won\b|\bwon\b/,
    entity: 'opportunity',
    value: 'CLOSED_WON',
  },
  {
    pattern: /\bclosed[ -]?lost\b/,
    entity: 'opportunity',
    value: 'CLOSED_LOST',
  },
  {
    pattern: /\bnegotiat(ion|ing|e)\b/,
    entity: 'opportunity',
    value: 'NEGOTIATION',
  },
  { pattern: /\bproposal\b/, entity: 'opportunity', value: 'PROPOSAL' },
  {
    pattern: /\bqualif(ication|ied|y)\b/,
    entity: 'opportunity',
    value: 'QUALIFICATION',
  },
  { pattern: /\bprospecting\b/, entity: 'opportunity', value: 'PROSPECTING' },
  { pattern: /\bdiscovery\b|\bscoping\b/, value: 'DISCOVERY' },
  {
    pattern: /\b(technical )?validation\b|\bevaluation\b|\bpoc stage\b/,
    entity: 'use_case',
    value: 'EVALUATION',
  },
  {
    pattern: /\bimplementation\b|\bimplementing\b/,
    entity: 'use_case',
    value: 'IMPLEMENTATION',
  },
  { pattern: /\bpaused\b|\bon hold\b/, entity: 'use_case', value: 'ON_HOLD' },
  {
    pattern: /\b(to|as) live\b|\bgone live\b|\bwent live\b|\bgo live now\b/,
    entity: 'use_case',
    value: 'LIVE',
  },
  { pattern: /\blost\b/, value: 'LOST' },
];

/**
 * The stage a request moves something to ("to Negotiation", "closed won",
 * "on hold"), in the contract's names, with the record type it implies.
 * Looks after the last "to"/"as"/"into" first, so "move the proposal
 * opportunity to Negotiation" finds Negotiation.
 */
export function findStage(
  text: string,
): { entity?: CrmEntity; value: string } | undefined {
  const lower = text.toLowerCase();
  const target = /.*\b(?:to|as|into)\b(.*)$/.exec(lower)?.[1];
  for (const scope of target === undefined ? [lower] : [target, lower]) {
    for (const alias of STAGE_ALIASES) {
      if (alias.pattern.test(scope)) {
        return alias.entity === undefined
          ? { value: alias.value }
          : { entity: alias.entity, value: alias.value };
      }
    }
  }
  return undefined;
}

/** The stage value for a record type: "lost" is CLOSED_LOST on an opportunity. */
export function stageFor(entity: CrmEntity, value: string): string {
  if (entity === 'opportunity' && value === 'LOST') return 'CLOSED_LOST';
  return value;
}

/** True when the request names a forecast category (which cannot be changed here). */
export function mentionsForecastCategory(text: string): boolean {
  return /\bforecast( category)?\b|\bbest case\b|\bto commit\b/i.test(text);
}

const FIELD_ALIASES: readonly {
  readonly pattern: RegExp;
  readonly entity?: CrmEntity;
  readonly field: string;
}[] = [
  {
    pattern: /\bclose ?date\b|\bclosing date\b/,
    entity: 'opportunity',
    field: 'close_date',
  },
  { pattern: /\bnext ?step\b/, entity: 'opportunity', field: 'next_step' },
  {
    pattern: /\bprobability\b|\blikelihood\b|\bwin chance\b/,
    entity: 'opportunity',
    field: 'probability',
  },
  {
    pattern: /\bamount\b|\bdeal size\b|\bdeal value\b/,
    entity: 'opportunity',
    field: 'amount',
  },
  {
    pattern: /\bgo[- ]?live( date)?\b/,
    entity: 'use_case',
    field: 'go_live_date',
  },
  {
    pattern: /\b(executive )?sponsor\b/,
    entity: 'use_case',
    field: 'executive_sponsor_contact_id',
  },
  { pattern: /\bblockers?\b/, entity: 'use_case', field: 'blockers' },
  { pattern: /\bdescription\b/, entity: 'use_case', field: 'description' },
  { pattern: /\bstage\b/, field: 'stage' },
];

/** The allow-listed field a request names, if any. */
export function findField(
  text: string,
): { entity?: CrmEntity; field: string } | undefined {
  const lower = text.toLowerCase();
  for (const alias of FIELD_ALIASES) {
    if (alias.pattern.test(lower)) {
      return alias.entity === undefined
        ? { field: alias.field }
        : { entity: alias.entity, field: alias.field };
    }
  }
  return undefined;
}

/** A product line of the vocabulary. */
export interface ProductLine {
  readonly id: string;
  readonly name: string;
}

/** The product lines and competitors the planner recognises. */
export interface PlannerVocabulary {
  readonly productLines: readonly ProductLine[];
  readonly competitors: readonly string[];
}

/** The business vocabulary of data/domain.json (a test keeps the two in step). */
export const DEFAULT_VOCABULARY: PlannerVocabulary = {
  productLines: [
    { id: 'stream', name: 'Lumen Stream' },
    { id: 'lakehouse', name: 'Lumen Lakehouse' },
    { id: 'warehouse', name: 'Lumen Warehouse' },
    { id: 'ai-studio', name: 'Lumen AI Studio' },
    { id: 'govern', name: 'Lumen Govern' },
    { id: 'connect', name: 'Lumen Connect' },
  ],
  competitors: [
    'Snowflake',
    'Databricks',
    'Confluent',
    'Google BigQuery',
    'Amazon Redshift',
    'Fivetran',
  ],
};

/**
 * The product line a request names: "Lumen Connect" anywhere, or the bare
 * product word when capitalised ("Connect", "AI Studio") so ordinary verbs
 * ("connect", "stream") do not count.
 */
export function findProductLine(
  text: string,
  vocabulary: PlannerVocabulary,
): ProductLine | undefined {
  for (const line of vocabulary.productLines) {
    const short = line.name.replace(/^Lumen\s+/, '');
    if (new RegExp(`\\b${escape(line.name)}\\b`, 'i').test(text)) return line;
    if (new RegExp(`\\b${escape(short)}\\b`).test(text)) return line;
  }
  return undefined;
}

/** The competitor a request names ("BigQuery" finds "Google BigQuery"). */
export function findCompetitor(
  text: string,
  vocabulary: PlannerVocabulary,
): string | undefined {
  for (const competitor of vocabulary.competitors) {
    const words = competitor.split(/\s+/);
    const last = words[words.length - 1] ?? competitor;
    if (new RegExp(`\\b${escape(last)}\\b`, 'i').test(text)) return competitor;
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
