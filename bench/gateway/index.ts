// The same chat-shaped route, bare (Fastify with no plugins) and with every
// gateway policy on (JWT auth, Casbin, rate limits, input and output
// guardrails on a 2 KB prompt, payload logging, audit events to the
// outbox), both answering from one fixed in-process upstream. Measured in
// one run with autocannon at 1 and 50 connections; prints throughput ratio
// and added p50/p99 latency, the guardrail pipeline's p50/p99 on the same
// 2 KB input, and a one-line summary last.
// Usage: npx tsx bench/gateway/index.ts [--duration S] [--redis]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { z } from 'zod';
import { createGuardrailPipeline } from '@fieldwise/guardrails';
import { createPrincipalSigner } from '@fieldwise/principal';
import { loadGatewayConfig } from '../../apps/gateway/src/config.js';
import { createGovernance } from '../../apps/gateway/src/governance.js';
import {
  DEFAULT_GUARDRAILS_PATH,
  loadGuardrailConfigFile,
} from '../../apps/gateway/src/guardrails/guardrail-config-file.js';
import { buildServer } from '../../apps/gateway/src/server.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    redis: { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(values.duration);

interface AutocannonResult {
  requests: { average: number };
  non2xx: number;
  errors: number;
}
interface AutocannonInstance {
  on(
    event: 'response',
    listener: (
      client: unknown,
      statusCode: number,
      bytes: number,
      responseTimeMs: number,
    ) => void,
  ): void;
  then: Promise<AutocannonResult>['then'];
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

const logger = pino({ level: 'silent' });
const ISSUER = 'fieldwise-bench';
const AUDIENCE = 'fieldwise-api';

// A realistic seller prompt, repeated to 2 KB: benign, so it passes.
const SENTENCE =
  'Before my call with Acme Manufacturing next week, summarize their consumption trend by product line, open support cases and which use cases go live this quarter without an executive sponsor. ';
const PROMPT = SENTENCE.repeat(Math.ceil(2048 / SENTENCE.length)).slice(
  0,
  2048,
);
const BODY = JSON.stringify({ message: PROMPT });

// The fixed upstream: what the agent would answer, without doing any work.
const ANSWER = {
  answer:
    'Acme grew 12% quarter over quarter on Streaming; two Severity 2 cases are open; the Fraud Analytics use case goes live in March without an executive sponsor.',
  model: { provider: 'fixed', name: 'bench-upstream' },
};
async function upstream(_message: string): Promise<typeof ANSWER> {
  await Promise.resolve();
  return ANSWER;
}

const chatBody = z.object({ message: z.string().min(1).max(16_000) }).strict();
const chatAnswer = z.object({
  answer: z.string(),
  model: z.object({ provider: z.string(), name: z.string() }),
});

function registerChat(app: FastifyInstance, governed: boolean): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    governed ? '/chat' : '/v1/chat',
    {
      ...(governed
        ? {
            config: {
              guardrails: { body: ['message'], output: ['answer'] },
              tokenBudget: true,
            },
          }
        : {}),
      schema: { body: chatBody, response: { 200: chatAnswer } },
    },
    (request) => upstream(request.body.message),
  );
  return Promise.resolve();
}

async function bareServer(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerChat(app, false);
  return app;
}

async function governedServer(dataDir: string): Promise<{
  app: FastifyInstance;
  token: string;
  flushAudit: () => void;
  close: () => Promise<void>;
}> {
  const jwtSecret = new Uint8Array(randomBytes(32));
  const config = loadGatewayConfig({
    FIELDWISE_DATA_DIR: dataDir,
    RATE_LIMIT_PRINCIPAL_MAX: '1000000',
    RATE_LIMIT_ROUTE_MAX: '1000000',
    CHAT_TOKEN_BUDGET_PER_MINUTE: '100000000',
    AUDIT_PAYLOAD_SAMPLE_RATE: '100',
    ...(values.redis ? { REDIS_URL: 'redis://127.0.0.1:6379' } : {}),
  });
  const governance = await createGovernance(config, {
    logger,
    redisKeyPrefix: `fieldwise:bench:${randomBytes(4).toString('hex')}:`,
  });
  const app = await buildServer({
    logger,
    jwt: {
      kind: 'hs256',
      secret: jwtSecret,
      issuer: ISSUER,
      audience: AUDIENCE,
    },
    clockToleranceSeconds: 5,
    signer: createPrincipalSigner({ key: new Uint8Array(randomBytes(32)) }),
    identity: {
      whoAmI: () => Promise.reject(new Error('not used by the benchmark')),
    },
    health: {
      readiness: () => Promise.resolve({}),
      isAcceptingTraffic: () => true,
    },
    bodyLimitBytes: 1024 * 1024,
    governance: governance.governance,
    extraV1Routes: (v1) => registerChat(v1, true),
  });
  const token = await new SignJWT({
    tenant: 'lumen',
    roles: ['seller'],
    territories: ['amer-east'],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('usr-lumen-seller-01')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('1h')
    .sign(jwtSecret);
  return {
    app,
    token,
    flushAudit: () => governance.governance.audit.sink.flush(),
    close: () => governance.close(1_000),
  };
}

interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ]!;
}

async function load(
  url: string,
  connections: number,
  headers: Record<string, string>,
  seconds: number,
): Promise<Measurement> {
  const samples: number[] = [];
  const instance = autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    body: BODY,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) samples.push(ms);
  });
  const result = await instance;
  samples.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    failures: result.non2xx + result.errors,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'fieldwise-bench-gateway-'));
const bare = await bareServer();
const governed = await governedServer(dataDir);
try {
  const bareUrl = `${await bare.listen({ host: '127.0.0.1', port: 0 })}/v1/chat`;
  const governedUrl = `${await governed.app.listen({ host: '127.0.0.1', port: 0 })}/v1/chat`;
  const auth = { authorization: `Bearer ${governed.token}` };

  // One governed request first: a policy or guardrail misfire must not be benchmarked as speed.
  const probe = await fetch(governedUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: BODY,
  });
  if (probe.status !== 200) {
    throw new Error(
      `governed route answered ${probe.status}: ${await probe.text()}`,
    );
  }

  // Guardrail pipeline alone on the same 2 KB input.
  const guard = createGuardrailPipeline(
    loadGuardrailConfigFile(DEFAULT_GUARDRAILS_PATH),
  );
  const guardSamples: number[] = [];
  for (let i = 0; i < 2_200; i++) {
    const start = performance.now();
    await guard.check('input', PROMPT, { route: 'POST /v1/chat' });
    if (i >= 200) guardSamples.push(performance.now() - start);
  }
  guardSamples.sort((a, b) => a - b);
  const guardP50 = percentile(guardSamples, 50);
  const guardP99 = percentile(guardSamples, 99);

  const rows: {
    connections: number;
    bare: Measurement;
    governed: Measurement;
  }[] = [];
  for (const connections of [1, 50]) {
    // Short warm-ups so JIT and caches are hot for both.
    await load(bareUrl, connections, {}, 1);
    await load(governedUrl, connections, auth, 1);
    rows.push({
      connections,
      bare: await load(bareUrl, connections, {}, DURATION_S),
      governed: await load(governedUrl, connections, auth, DURATION_S),
    });
  }

  // CPU time per request through app.inject (no sockets, one at a time):
  // on a shared, busy machine this moves far less than wall-clock latency.
  const cpuPerRequest = async (
    app: FastifyInstance,
    headers: Record<string, string>,
    count: number,
  ): Promise<number> => {
    const request = {
      method: 'POST' as const,
      url: '/v1/chat',
      headers: { 'content-type': 'application/json', ...headers },
      payload: BODY,
    };
    const start = process.cpuUsage();
    for (let i = 0; i < count; i++) {
      const response = await app.inject(request);
      if (response.statusCode !== 200) {
        throw new Error(`inject answered ${response.statusCode}`);
      }
    }
    // The batched audit commit of these requests counts too.
    governed.flushAudit();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / count;
  };
  const cpu = { bare: [] as number[], governed: [] as number[] };
  for (let round = 0; round < 5; round++) {
    cpu.bare.push(await cpuPerRequest(bare, {}, 400));
    cpu.governed.push(await cpuPerRequest(governed.app, auth, 400));
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const cpuBare = median(cpu.bare);
  const cpuGoverned = median(cpu.governed);

  const f = (n: number) => n.toFixed(3);
  console.log(
    `gateway bench: POST /v1/chat, 2 KB prompt, ${DURATION_S}s per run, rate-limit store ${values.redis ? 'redis' : 'memory'}`,
  );
  console.log(
    'conns | bare req/s | governed req/s | ratio | bare p50/p99 ms | governed p50/p99 ms | added p50/p99 ms | failures',
  );
  for (const { connections, bare: b, governed: g } of rows) {
    console.log(
      `${String(connections).padStart(5)} | ${b.rps.toFixed(0).padStart(10)} | ${g.rps.toFixed(0).padStart(14)} | ${(g.rps / b.rps).toFixed(2)} | ${f(b.p50)}/${f(b.p99)} | ${f(g.p50)}/${f(g.p99)} | ${f(g.p50 - b.p50)}/${f(g.p99 - b.p99)} | ${b.failures + g.failures}`,
    );
  }
  console.log(
    `guardrail pipeline (input stage, 2 KB): p50 ${f(guardP50)} ms, p99 ${f(guardP99)} ms over ${guardSamples.length} checks`,
  );
  console.log(
    `cpu per request (app.inject, sequential, median of 5 x 400): bare ${cpuBare.toFixed(0)} us, governed ${cpuGoverned.toFixed(0)} us, added ${(cpuGoverned - cpuBare).toFixed(0)} us, ratio ${(cpuBare / cpuGoverned).toFixed(2)}`,
  );
  const one = rows[0]!;
  const fifty = rows[1]!;
  console.log(
    `summary: throughput ratio ${(one.governed.rps / one.bare.rps).toFixed(2)} @1 conn, ${(fifty.governed.rps / fifty.bare.rps).toFixed(2)} @50; added p50 ${f(one.governed.p50 - one.bare.p50)} ms, p99 ${f(one.governed.p99 - one.bare.p99)} ms @1 conn; guardrail p99 ${f(guardP99)} ms on 2 KB; cpu ratio ${(cpuBare / cpuGoverned).toFixed(2)} (+${(cpuGoverned - cpuBare).toFixed(0)} us/request)`,
  );
} finally {
  await bare.close();
  await governed.app.close();
  await governed.close();
  rmSync(dataDir, { recursive: true, force: true });
}
