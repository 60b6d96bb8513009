import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AgentServiceService, type ChatResponse } from '@fieldwise/contracts';
import { readOutbox } from '@fieldwise/events';
import { createGrpcClient, GrpcCallError } from '@fieldwise/grpc';
import { scripted, startScriptedOpenAIServer } from '@fieldwise/llm/testing';
import { createPrincipalSigner } from '@fieldwise/principal';
import { describeWithKafka, freePort, waitFor } from '@fieldwise/testing';
import {
  spawnService,
  waitReady,
  type ServiceProcess,
} from './service-process.js';

const GRACE_MS = 8_000;

// The built agent as a child process, with a real Kafka broker behind its
// outbox and a scripted model that calls a tool and then stalls mid-answer,
// so a chat stream is open when SIGTERM arrives.
describeWithKafka('agent drain on SIGTERM', (kafka) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-drain-'));
  const key = randomBytes(32);
  let model: Awaited<ReturnType<typeof startScriptedOpenAIServer>>;
  let agent: ServiceProcess | undefined;

  beforeAll(async () => {
    model = await startScriptedOpenAIServer();
  });

  afterAll(async () => {
    await agent?.kill();
    await model?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends the open chat stream with a retryable error event, flushes the outbox and exits 0 without forcing', async () => {
    const [grpcPort, metricsPort] = [await freePort(), await freePort()];
    agent = spawnService('agent-service', {
      FIELDWISE_DATA_DIR: dataDir,
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(metricsPort),
      FIELDWISE_PRINCIPAL_KEY: key.toString('base64'),
      KAFKA_BROKERS: kafka.broker().brokers.join(','),
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: 'test-key',
      LLM_MAX_RETRIES: '0',
      // No CRM: the tool call fails, which is still an audited tool call.
      CRM_SERVICE_ADDR: '127.0.0.1:1',
      RETRIEVAL_SERVICE_ADDR: '127.0.0.1:1',
      SHUTDOWN_GRACE: `${GRACE_MS}ms`,
    });
    await waitReady(`http://127.0.0.1:${metricsPort}/readyz`);

    // 1. The model asks for a tool, then streams two deltas and stalls.
    model.enqueue(
      scripted.toolCallStream([
        { name: 'find_accounts', argumentsChunks: ['{"query":"acme"}'] },
      ]),
      scripted.textStream(['Acme ', 'is ', 'a ', 'customer'], {
        stallAfterChunks: 2,
      }),
    );
    const client = createGrpcClient(
      AgentServiceService,
      `127.0.0.1:${grpcPort}`,
      { retry: { maxAttempts: 1 } },
    );
    const principalToken = await createPrincipalSigner({
      key: new Uint8Array(key),
    }).sign({
      userId: 'usr-lumen-seller-03',
      tenant: 'lumen',
      roles: ['seller'],
      territories: ['amer-east'],
    });
    const events: ChatResponse['event'][] = [];
    const streamed = (async () => {
      for await (const response of client.chat(
        {
          message: 'Brief me on acme',
          conversationId: '',
          accountId: '',
          model: '',
          evalRunId: '',
        },
        { principalToken, deadlineMs: 60_000 },
      )) {
        events.push(response.event);
      }
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    // The answer is on its way (and held: the model stalled mid-stream).
    await waitFor(
      () =>
        model.requests.length === 2 &&
        events.some((e) => e?.$case === 'toolResult'),
      {
        timeoutMs: 30_000,
        description: 'the tool result and the second model call',
      },
    );

    // 2. SIGTERM while the stream is open.
    agent.signal('SIGTERM');
    const streamError = await streamed;
    const exitCode = await agent.exited;
    client.close();

    // 3. The last event says: shutting down, retry elsewhere; the status agrees.
    expect(events.at(-1)).toEqual({
      $case: 'error',
      value: expect.objectContaining({
        code: 'SHUTTING_DOWN',
        retryable: true,
      }) as unknown,
    });
    expect(streamError).toBeInstanceOf(GrpcCallError);
    expect((streamError as GrpcCallError).code).toBe('SHUTTING_DOWN');

    // 4. Clean exit: 0, and the drain finished inside the grace period.
    expect(exitCode).toBe(0);
    const drained = agent.lines.find((line) => line['msg'] === 'drained');
    expect(drained).toMatchObject({ signal: 'SIGTERM', forced: false });

    // 5. The tool call's audit event reached Kafka: nothing left pending.
    const rows = [...readOutbox(join(dataDir, 'agent-outbox.sqlite'))];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.record.sentAt === null)).toEqual([]);
  }, 120_000);
});
