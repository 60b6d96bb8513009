import { z } from 'zod';
import {
  crmEntityTypeToJSON,
  opportunityStageToJSON,
  supportCaseStatusToJSON,
  supportSeverityToJSON,
  useCaseStageToJSON,
  type AccountProfile,
  type AccountSummary,
  type BlockerCount,
  type CompetitorPresence,
  type ConsumptionSeries,
  type ConsumptionSlice,
  type MissingFieldsAlert,
  type MonthlyConsumption,
  type NewsItem,
  type Opportunity,
  type SupportCase,
  type UseCase,
  type User,
} from '@fieldwise/contracts';
import { enumNames, moneyOf, moneySchema, orNull } from './common.js';

// Public JSON views of the CRM contract messages, shared by the accounts
// and alerts routes. Enums are lower snake_case names; "" becomes null.

const OPPORTUNITY_STAGES = [
  'unspecified',
  'prospecting',
  'qualification',
  'discovery',
  'proposal',
  'negotiation',
  'closed_won',
  'closed_lost',
] as const;
const USE_CASE_STAGES = [
  'unspecified',
  'discovery',
  'evaluation',
  'implementation',
  'live',
  'on_hold',
  'lost',
] as const;
const SEVERITIES = ['unspecified', 'sev1', 'sev2', 'sev3', 'sev4'] as const;
const CASE_STATUSES = [
  'unspecified',
  'open',
  'pending',
  'resolved',
  'closed',
] as const;
const ENTITY_TYPES = ['unspecified', 'opportunity', 'use_case'] as const;

const opportunityStage = enumNames(
  OPPORTUNITY_STAGES,
  opportunityStageToJSON,
  'OPPORTUNITY_STAGE_',
);
const useCaseStage = enumNames(
  USE_CASE_STAGES,
  useCaseStageToJSON,
  'USE_CASE_STAGE_',
);
const severity = enumNames(
  SEVERITIES,
  supportSeverityToJSON,
  'SUPPORT_SEVERITY_',
);
const caseStatus = enumNames(
  CASE_STATUSES,
  supportCaseStatusToJSON,
  'SUPPORT_CASE_STATUS_',
);
const entityType = enumNames(
  ENTITY_TYPES,
  crmEntityTypeToJSON,
  'CRM_ENTITY_TYPE_',
);

export const accountSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string(),
  industry: z.string(),
  segment: z.string().describe('Enterprise, Commercial or Mid-Market'),
  territory: z.string().describe('Territory id, e.g. amer-east'),
  region: z.string().describe('AMER, EMEA or APJ'),
  owner: z.object({ userId: z.string(), name: z.string() }),
  arr: moneySchema.nullable().describe('Annual recurring revenue'),
});
export type AccountSummaryView = z.infer<typeof accountSummarySchema>;

export function accountSummaryOf(
  account: AccountSummary | undefined,
): AccountSummaryView {
  return {
    id: account?.id ?? '',
    name: account?.name ?? '',
    domain: account?.domain ?? '',
    industry: account?.industry ?? '',
    segment: account?.segment ?? '',
    territory: account?.territory ?? '',
    region: account?.region ?? '',
    owner: {
      userId: account?.ownerUserId ?? '',
      name: account?.ownerName ?? '',
    },
    arr: moneyOf(account?.arr),
  };
}

export const accountProfileSchema = accountSummarySchema.extend({
  country: z.string().describe('ISO 3166-1 alpha-2'),
  employeeCount: z.number().int(),
  annualRevenue: moneySchema.nullable(),
  description: z.string(),
  customerSince: z
    .string()
    .nullable()
    .describe('YYYY-MM-DD; null for prospects'),
});

export function accountProfileOf(
  profile: AccountProfile | undefined,
): z.infer<typeof accountProfileSchema> {
  return {
    ...accountSummaryOf(profile?.summary),
    country: profile?.country ?? '',
    employeeCount: profile?.employeeCount ?? 0,
    annualRevenue: moneyOf(profile?.annualRevenue),
    description: profile?.description ?? '',
    customerSince: orNull(profile?.customerSince ?? ''),
  };
}

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.string(),
  territories: z.array(z.string()),
  managerUserId: z.string().nullable(),
});

export function userOf(user: User): z.infer<typeof userSchema> {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    territories: [...user.territories],
    managerUserId: orNull(user.managerUserId),
  };
}

export const opportunitySchema = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  stage: z.enum(OPPORTUNITY_STAGES),
  amount: moneySchema.nullable(),
  closeDate: z.string().nullable().describe('YYYY-MM-DD'),
  probability: z.number().int().describe('Win probability, 0 to 100'),
  ownerUserId: z.string(),
  nextStep: z.string(),
  productLines: z.array(z.string()),
  competitors: z.array(z.string()),
  version: z.number().int().describe('Record version (optimistic concurrency)'),
  updatedAt: z.string(),
});

export function opportunityOf(
  opportunity: Opportunity,
): z.infer<typeof opportunitySchema> {
  return {
    id: opportunity.id,
    accountId: opportunity.accountId,
    name: opportunity.name,
    stage: opportunityStage(opportunity.stage),
    amount: moneyOf(opportunity.amount),
    closeDate: orNull(opportunity.closeDate),
    probability: opportunity.probability,
    ownerUserId: opportunity.ownerUserId,
    nextStep: opportunity.nextStep,
    productLines: [...opportunity.productLines],
    competitors: [...opportunity.competitors],
    version: opportunity.version,
    updatedAt: opportunity.updatedAt,
  };
}

export const useCaseSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  opportunityId: z.string().nullable(),
  name: z.string(),
  category: z.string(),
  description: z.string(),
  productLine: z.string(),
  cloud: z.string().describe('AWS, Azure or GCP'),
  stage: z.enum(USE_CASE_STAGES),
  goLiveDate: z.string().nullable().describe('YYYY-MM-DD; null when unknown'),
  annualRevenue: moneySchema.nullable(),
  executiveSponsor: z
    .object({ contactId: z.string(), name: z.string() })
    .nullable()
    .describe('Null when the use case has no executive sponsor'),
  blockers: z.array(z.string()),
  ownerUserId: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
});

export function useCaseOf(useCase: UseCase): z.infer<typeof useCaseSchema> {
  return {
    id: useCase.id,
    accountId: useCase.accountId,
    opportunityId: orNull(useCase.opportunityId),
    name: useCase.name,
    category: useCase.category,
    description: useCase.description,
    productLine: useCase.productLine,
    cloud: useCase.cloud,
    stage: useCaseStage(useCase.stage),
    goLiveDate: orNull(useCase.goLiveDate),
    annualRevenue: moneyOf(useCase.annualRevenue),
    executiveSponsor: useCase.executiveSponsorContactId
      ? {
          contactId: useCase.executiveSponsorContactId,
          name: useCase.executiveSponsorName,
        }
      : null,
    blockers: [...useCase.blockers],
    ownerUserId: useCase.ownerUserId,
    version: useCase.version,
    updatedAt: useCase.updatedAt,
  };
}

export const supportCaseSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  subject: z.string(),
  severity: z.enum(SEVERITIES),
  status: z.enum(CASE_STATUSES),
  productLine: z.string().nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});

export function supportCaseOf(
  supportCase: SupportCase,
): z.infer<typeof supportCaseSchema> {
  return {
    id: supportCase.id,
    accountId: supportCase.accountId,
    subject: supportCase.subject,
    severity: severity(supportCase.severity),
    status: caseStatus(supportCase.status),
    productLine: orNull(supportCase.productLine),
    openedAt: supportCase.openedAt,
    closedAt: orNull(supportCase.closedAt),
  };
}

export const severityCountSchema = z.object({
  severity: z.enum(SEVERITIES),
  count: z.number().int(),
});

export function severityCountOf(count: {
  severity: number;
  count: number;
}): z.infer<typeof severityCountSchema> {
  return { severity: severity(count.severity), count: count.count };
}

export const newsItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string(),
  source: z.string(),
  publishedOn: z.string(),
  summary: z.string(),
});

export function newsItemOf(item: NewsItem): z.infer<typeof newsItemSchema> {
  return {
    id: item.id,
    title: item.title,
    url: item.url,
    source: item.source,
    publishedOn: item.publishedOn,
    summary: item.summary,
  };
}

export const competitorSchema = z.object({
  competitor: z.string(),
  productLines: z.array(z.string()),
  status: z.string().describe('incumbent, evaluating or displaced'),
  notes: z.string(),
});

export function competitorOf(
  presence: CompetitorPresence,
): z.infer<typeof competitorSchema> {
  return {
    competitor: presence.competitor,
    productLines: [...presence.productLines],
    status: presence.status,
    notes: presence.notes,
  };
}

const growth = z
  .number()
  .nullable()
  .describe('Growth as a fraction (0.125 is +12.5%); null without a base');

export const consumptionSliceSchema = z.object({
  productLine: z.string(),
  cloud: z.string(),
  lastMonth: moneySchema.nullable(),
  trailingTwelveMonths: moneySchema.nullable(),
  momGrowth: growth,
  yoyGrowth: growth,
});

export function consumptionSliceOf(
  slice: ConsumptionSlice,
): z.infer<typeof consumptionSliceSchema> {
  return {
    productLine: slice.productLine,
    cloud: slice.cloud,
    lastMonth: moneyOf(slice.lastMonth),
    trailingTwelveMonths: moneyOf(slice.trailingTwelveMonths),
    momGrowth: slice.momGrowth ?? null,
    yoyGrowth: slice.yoyGrowth ?? null,
  };
}

export const monthlyConsumptionSchema = z.object({
  month: z.string().describe('YYYY-MM'),
  amount: moneySchema.nullable(),
  momGrowth: growth,
  yoyGrowth: growth,
});

export function monthlyConsumptionOf(
  month: MonthlyConsumption,
): z.infer<typeof monthlyConsumptionSchema> {
  return {
    month: month.month,
    amount: moneyOf(month.amount),
    momGrowth: month.momGrowth ?? null,
    yoyGrowth: month.yoyGrowth ?? null,
  };
}

export const consumptionSeriesSchema = z.object({
  productLine: z.string(),
  cloud: z.string(),
  months: z.array(monthlyConsumptionSchema).describe('Oldest month first'),
});

export function consumptionSeriesOf(
  series: ConsumptionSeries,
  keep: (month: string) => boolean,
): z.infer<typeof consumptionSeriesSchema> {
  return {
    productLine: series.productLine,
    cloud: series.cloud,
    months: series.months
      .filter((m) => keep(m.month))
      .map(monthlyConsumptionOf),
  };
}

export const blockerCountSchema = z.object({
  blocker: z.string(),
  useCaseCount: z.number().int(),
  revenueAtRisk: moneySchema.nullable(),
  useCaseIds: z.array(z.string()),
});

export function blockerCountOf(
  blocker: BlockerCount,
): z.infer<typeof blockerCountSchema> {
  return {
    blocker: blocker.blocker,
    useCaseCount: blocker.useCaseCount,
    revenueAtRisk: moneyOf(blocker.revenueAtRisk),
    useCaseIds: [...blocker.useCaseIds],
  };
}

export const missingFieldsSchema = z.object({
  entityType: z.enum(ENTITY_TYPES),
  entityId: z.string(),
  name: z.string(),
  accountId: z.string(),
  missingFields: z.array(z.string()),
});

export function missingFieldsOf(
  alert: MissingFieldsAlert,
): z.infer<typeof missingFieldsSchema> {
  return {
    entityType: entityType(alert.entityType),
    entityId: alert.entityId,
    name: alert.name,
    accountId: alert.accountId,
    missingFields: [...alert.missingFields],
  };
}
