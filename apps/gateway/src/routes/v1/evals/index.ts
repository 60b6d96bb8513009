import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { downstreamCallOf } from '../../../clients/downstream-call.js';
import type { EvalClient } from '../../../clients/eval-client.js';
import {
  backendErrors,
  pageFields,
  pageOf,
  pageQuery,
  pageRequestOf,
  recordId,
} from '../../../schemas/common.js';
import { problemSchema } from '../../../schemas/problem.js';
import {
  RUN_STATUSES,
  datasetOf,
  datasetSchema,
  runOf,
  runSchema,
  runStatusValue,
} from './run-view.js';

const runParams = z.object({ id: recordId.describe('Run id') });

const listRunsQuery = z.object({
  datasetId: recordId.optional().describe('Only runs of this dataset'),
  status: z
    .enum(
      RUN_STATUSES.filter((s) => s !== 'unspecified') as [string, ...string[]],
    )
    .optional()
    .describe('Only runs in this status'),
  ...pageQuery,
});

const startRunBody = z
  .object({
    datasetId: recordId,
    datasetVersion: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Dataset version; default (or 0) the latest'),
    model: z
      .string()
      .max(200)
      .optional()
      .describe("Agent model name; default the agent's"),
    llmJudge: z
      .boolean()
      .optional()
      .describe('Also compute LLM-as-judge metrics (needs a model)'),
    thresholds: z
      .array(
        z
          .object({
            metric: z.string().min(1).max(64),
            min: z.number().optional(),
            max: z.number().optional(),
          })
          .strict()
          .refine((t) => t.min !== undefined || t.max !== undefined, {
            message: 'give min, max or both',
          }),
      )
      .max(50)
      .optional()
      .describe('Bounds on aggregate metrics; the run passes when all hold'),
    label: z.string().max(200).optional().describe('Free text, e.g. a commit'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(8)
      .optional()
      .describe('Cases evaluated in parallel, 1 to 8 (default 2)'),
  })
  .strict();

const reportQuery = z.object({
  baselineRunId: recordId.optional().describe('A run to compare against'),
});

const runErrors = { ...backendErrors, 409: problemSchema } as const;

/**
 * `/v1/evals`: evaluation runs and datasets (admins and the evaluation
 * identity of a tenant, by policy; the eval-service checks again).
 */
export const evalRoutes: FastifyPluginCallback<{ evals: EvalClient }> = (
  app,
  { evals },
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/evals/runs',
    {
      schema: {
        summary: 'List evaluation runs, newest first',
        tags: ['evaluation'],
        querystring: listRunsQuery,
        response: {
          200: z.object({ items: z.array(runSchema), ...pageFields }),
          ...backendErrors,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const response = await evals.listRuns(
        {
          datasetId: query.datasetId ?? '',
          status: query.status ? runStatusValue(query.status) : 0,
          page: pageRequestOf(query),
        },
        await downstreamCallOf(request),
      );
      return { items: response.runs.map(runOf), ...pageOf(response.page) };
    },
  );

  typed.post(
    '/evals/runs',
    {
      schema: {
        summary: 'Start an evaluation run',
        description:
          'Queues a run of one dataset version against the agent; 202 with the queued run and its Location.',
        tags: ['evaluation'],
        body: startRunBody,
        response: { 202: runSchema, ...runErrors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const response = await evals.startRun(
        {
          datasetId: body.datasetId,
          datasetVersion: body.datasetVersion ?? 0,
          model: body.model ?? '',
          llmJudge: body.llmJudge ?? false,
          thresholds: (body.thresholds ?? []).map((t) => ({
            metric: t.metric,
            ...(t.min !== undefined ? { min: t.min } : {}),
            ...(t.max !== undefined ? { max: t.max } : {}),
          })),
          label: body.label ?? '',
          concurrency: body.concurrency ?? 0,
        },
        await downstreamCallOf(request),
      );
      const run = runOf(response.run);
      return reply
        .code(202)
        .header('location', `/v1/evals/runs/${encodeURIComponent(run.id)}`)
        .send(run);
    },
  );

  typed.get(
    '/evals/runs/:id',
    {
      schema: {
        summary: 'One evaluation run with its progress and metrics',
        tags: ['evaluation'],
        params: runParams,
        response: { 200: runSchema, ...backendErrors },
      },
    },
    async (request) => {
      const response = await evals.getRun(
        { runId: request.params.id },
        await downstreamCallOf(request),
      );
      return runOf(response.run);
    },
  );

  typed.get(
    '/evals/runs/:id/report',
    {
      schema: {
        summary: 'HTML report of a run',
        description:
          'A self-contained HTML document (inline CSS and SVG charts, no scripts), served with a CSP that forbids scripts.',
        tags: ['evaluation'],
        params: runParams,
        querystring: reportQuery,
        produces: ['text/html'],
        response: {
          200: z.string().describe('text/html report'),
          ...backendErrors,
        },
      },
    },
    async (request, reply) => {
      const response = await evals.getRunReport(
        {
          runId: request.params.id,
          baselineRunId: request.query.baselineRunId ?? '',
        },
        await downstreamCallOf(request),
      );
      return reply
        .type('text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
        )
        .send(response.html);
    },
  );

  typed.get(
    '/evals/datasets',
    {
      schema: {
        summary: 'Evaluation datasets of your tenant',
        tags: ['evaluation'],
        querystring: z.object(pageQuery),
        response: {
          200: z.object({ items: z.array(datasetSchema), ...pageFields }),
          ...backendErrors,
        },
      },
    },
    async (request) => {
      const response = await evals.listDatasets(
        { page: pageRequestOf(request.query) },
        await downstreamCallOf(request),
      );
      return {
        items: response.datasets.map(datasetOf),
        ...pageOf(response.page),
      };
    },
  );
  done();
};
