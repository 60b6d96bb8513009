import { z } from 'zod';
import { runStatusToJSON, type Dataset, type Run } from '@fieldwise/contracts';
import { enumNames, orNull } from '../../../schemas/common.js';

/** Run statuses as the public API names them. */
export const RUN_STATUSES = [
  'unspecified',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;

const runStatusName = enumNames(RUN_STATUSES, runStatusToJSON, 'RUN_STATUS_');

/** The contract enum value of a public run status name. */
export function runStatusValue(name: string): number {
  return RUN_STATUSES.indexOf(name as (typeof RUN_STATUSES)[number]);
}

export const runSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  datasetVersion: z.number().int(),
  status: z.enum(RUN_STATUSES),
  label: z.string(),
  model: z
    .object({ provider: z.string(), name: z.string(), offline: z.boolean() })
    .nullable()
    .describe('Model the agent answered with'),
  llmJudge: z.boolean(),
  progress: z.object({
    totalCases: z.number().int(),
    completedCases: z.number().int(),
    failedCases: z.number().int(),
    erroredCases: z.number().int(),
  }),
  metrics: z
    .array(
      z.object({
        name: z.string(),
        mean: z.number(),
        min: z.number(),
        max: z.number(),
        p95: z.number(),
        count: z.number().int(),
      }),
    )
    .describe('Aggregates over completed cases'),
  thresholdResults: z.array(
    z.object({
      metric: z.string(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      actual: z.number().nullable(),
      passed: z.boolean(),
    }),
  ),
  passed: z.boolean().describe('Finished and every threshold passed'),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export function runOf(run: Run | undefined): z.infer<typeof runSchema> {
  return {
    id: run?.id ?? '',
    datasetId: run?.datasetId ?? '',
    datasetVersion: run?.datasetVersion ?? 0,
    status: runStatusName(run?.status ?? 0),
    label: run?.label ?? '',
    model: run?.model
      ? {
          provider: run.model.provider,
          name: run.model.name,
          offline: run.model.offline,
        }
      : null,
    llmJudge: run?.llmJudge ?? false,
    progress: {
      totalCases: run?.progress?.totalCases ?? 0,
      completedCases: run?.progress?.completedCases ?? 0,
      failedCases: run?.progress?.failedCases ?? 0,
      erroredCases: run?.progress?.erroredCases ?? 0,
    },
    metrics: (run?.metrics ?? []).map((m) => ({
      name: m.name,
      mean: m.mean,
      min: m.min,
      max: m.max,
      p95: m.p95,
      count: m.count,
    })),
    thresholdResults: (run?.thresholdResults ?? []).map((t) => ({
      metric: t.threshold?.metric ?? '',
      min: t.threshold?.min ?? null,
      max: t.threshold?.max ?? null,
      actual: t.actual ?? null,
      passed: t.passed,
    })),
    passed: run?.passed ?? false,
    error: orNull(run?.error ?? ''),
    createdBy: run?.createdBy ?? '',
    createdAt: orNull(run?.createdAt ?? ''),
    startedAt: orNull(run?.startedAt ?? ''),
    finishedAt: orNull(run?.finishedAt ?? ''),
  };
}

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  latestVersion: z
    .number()
    .int()
    .describe('Latest version (1-based); 0 before the first import'),
  caseCount: z.number().int().describe('Cases in the latest version'),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function datasetOf(dataset: Dataset): z.infer<typeof datasetSchema> {
  return {
    id: dataset.id,
    name: dataset.name,
    description: dataset.description,
    latestVersion: dataset.latestVersion,
    caseCount: dataset.caseCount,
    createdBy: dataset.createdBy,
    createdAt: dataset.createdAt,
    updatedAt: dataset.updatedAt,
  };
}
