import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunStatus } from '@fieldwise/contracts';
import { FieldwiseError, NotFoundError } from '@fieldwise/errors';
import {
  buildTestGateway,
  echoIdentity,
  type TestGateway,
} from '../helpers/gateway.js';
import {
  startFakeBackends,
  UNLIMITED_ENV,
  type FakeBackends,
} from '../helpers/fake-backends.js';

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

describe('evaluation routes against a fake eval-service', () => {
  let fake: FakeBackends;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeBackends();
    gateway = await buildTestGateway(
      echoIdentity,
      { signer: fake.signer, ...fake.clients },
      { env: UNLIMITED_ENV },
    );
  });
  afterAll(async () => {
    await gateway.app.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  async function call(
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
    role = 'admin',
  ) {
    const token = await gateway.token({ sub: `u-${role}-1`, roles: [role] });
    return gateway.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  }

  it('lists runs with filters and maps each run', async () => {
    const response = await call(
      'GET',
      '/v1/evals/runs?datasetId=ds-1&status=running&pageSize=5',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(fake.calls[0]?.request).toEqual({
      datasetId: 'ds-1',
      status: RunStatus.RUNNING,
      page: { pageSize: 5, pageToken: '' },
    });
    expect(response.json()).toEqual({
      items: [
        {
          id: 'run-1',
          datasetId: 'ds-1',
          datasetVersion: 2,
          status: 'queued',
          label: 'nightly',
          model: null,
          llmJudge: false,
          progress: {
            totalCases: 10,
            completedCases: 0,
            failedCases: 0,
            erroredCases: 0,
          },
          metrics: [],
          thresholdResults: [],
          passed: false,
          error: null,
          createdBy: 'u-admin-1',
          createdAt: '2026-11-25T10:00:00.000Z',
          startedAt: null,
          finishedAt: null,
        },
      ],
      nextPageToken: null,
      totalSize: 1,
    });
  });

  it('starts a run: 202 with Location, thresholds passed as given', async () => {
    const response = await call('POST', '/v1/evals/runs', {
      datasetId: 'ds-7',
      thresholds: [
        { metric: 'tool_selection', min: 0.9 },
        { metric: 'latency_ms_p95', max: 4000 },
      ],
      label: 'abc123',
      concurrency: 4,
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.headers.location).toBe('/v1/evals/runs/run-1');
    expect(response.json()).toMatchObject({ id: 'run-1', datasetId: 'ds-7' });
    expect(fake.calls[0]?.request).toEqual({
      datasetId: 'ds-7',
      datasetVersion: 0,
      model: '',
      llmJudge: false,
      thresholds: [
        { metric: 'tool_selection', min: 0.9 },
        { metric: 'latency_ms_p95', max: 4000 },
      ],
      label: 'abc123',
      concurrency: 4,
    });
  });

  it.each([
    [{}, 'body.datasetId'],
    [{ datasetId: 'ds-1', concurrency: 9 }, 'body.concurrency'],
    [{ datasetId: 'ds-1', thresholds: [{ metric: 'x' }] }, 'body.thresholds.0'],
    [{ datasetId: 'ds-1', llmJudge: 'yes' }, 'body.llmJudge'],
  ])('rejects %j as 400 naming %s', async (payload, field) => {
    const response = await call('POST', '/v1/evals/runs', payload);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<Problem>().errors?.map((e) => e.field)).toContain(
      field,
    );
    expect(fake.calls).toHaveLength(0);
  });

  it('maps FAILED_PRECONDITION from StartRun (no judge model) to 400', async () => {
    fake.evals.startRun = () => {
      throw new FieldwiseError(
        'PRECONDITION_FAILED',
        'LLM-as-judge needs a configured model',
      );
    };
    const response = await call('POST', '/v1/evals/runs', {
      datasetId: 'ds-1',
      llmJudge: true,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'PRECONDITION_FAILED',
      detail: 'LLM-as-judge needs a configured model',
    });
  });

  it('gets one run, or 404', async () => {
    const found = await call('GET', '/v1/evals/runs/run-1');
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ id: 'run-1', status: 'queued' });
    expect(fake.calls[0]?.request).toEqual({ runId: 'run-1' });
    fake.evals.getRun = (request) => {
      throw new NotFoundError('run', request.runId);
    };
    const missing = await call('GET', '/v1/evals/runs/run-9');
    expect(missing.statusCode).toBe(404);
  });

  it('serves the report as HTML under a script-free CSP', async () => {
    const response = await call(
      'GET',
      '/v1/evals/runs/run-1/report?baselineRunId=run-0',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain(
      "default-src 'none'",
    );
    expect(response.body).toBe('<!doctype html><title>Run</title>');
    expect(fake.calls[0]?.request).toEqual({
      runId: 'run-1',
      baselineRunId: 'run-0',
    });
  });

  it('lists datasets', async () => {
    fake.evals.listDatasets = () => ({
      datasets: [
        {
          id: 'ds-1',
          name: 'golden',
          description: 'core questions',
          latestVersion: 3,
          caseCount: 40,
          createdBy: 'u-admin-1',
          createdAt: '2026-11-01T00:00:00.000Z',
          updatedAt: '2026-11-20T00:00:00.000Z',
        },
      ],
      page: { nextPageToken: 'p2', totalSize: 2 },
    });
    const response = await call('GET', '/v1/evals/datasets?pageSize=1');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      items: [{ id: 'ds-1', name: 'golden', latestVersion: 3, caseCount: 40 }],
      nextPageToken: 'p2',
      totalSize: 2,
    });
  });

  it('denies a seller every evaluation route', async () => {
    for (const [method, url] of [
      ['GET', '/v1/evals/runs'],
      ['POST', '/v1/evals/runs'],
      ['GET', '/v1/evals/runs/run-1'],
      ['GET', '/v1/evals/runs/run-1/report'],
      ['GET', '/v1/evals/datasets'],
    ] as const) {
      const response = await call(
        method,
        url,
        method === 'POST' ? { datasetId: 'ds-1' } : undefined,
        'seller',
      );
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(fake.calls).toHaveLength(0);
  });
});
