import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardrailPipeline } from '../../src/index.js';

const logger = pino({ level: 'silent' });
let server: Server;
let baseUrl: string;
const received: { url: string; body: unknown; auth: string | undefined }[] = [];

// 1. A tiny moderation server: its answer depends on the text, so the rule's parsing is exercised.
function handle(req: IncomingMessage, res: ServerResponse): void {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
  req.on('end', () => {
    const body = JSON.parse(raw) as { input?: string; text?: string };
    received.push({
      url: req.url ?? '',
      body,
      auth: req.headers.authorization,
    });
    const text = body.input ?? body.text ?? '';
    if (req.url === '/slow/moderations')
      return void setTimeout(() => res.end('{}'), 2_000);
    if (req.url === '/broken/moderations')
      return void res.writeHead(500).end('oops');
    if (req.url === '/garbage/moderations')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"unexpected":true}');
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/classify') {
      return void res.end(
        JSON.stringify({
          score: text.includes('attack') ? 0.93 : 0.02,
          label: 'injection',
        }),
      );
    }
    const violent = text.includes('hurt');
    res.end(
      JSON.stringify({
        results: [
          {
            flagged: violent,
            categories: { violence: violent, harassment: false },
            category_scores: {
              violence: violent ? 0.91 : 0.01,
              harassment: 0.02,
            },
          },
        ],
      }),
    );
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const pipelineFor = (
  options: Record<string, unknown>,
  onError: 'fail-closed' | 'fail-open' = 'fail-closed',
) =>
  createGuardrailPipeline(
    {
      stages: {
        input: {
          classifier: { mode: 'block', onError, timeoutMs: 5_000, options },
        },
      },
    },
    { logger },
  );

describe('classifier rule against a local HTTP server', () => {
  it('blocks what an OpenAI-compatible moderation endpoint flags', async () => {
    const p = pipelineFor({
      baseUrl: `${baseUrl}/v1`,
      model: 'omni-moderation-latest',
      apiKey: 'test-key',
    });
    const flagged = await p.check('input', 'I will hurt them');
    expect(flagged.action).toBe('block');
    expect(flagged.hits[0]).toMatchObject({
      ruleId: 'classifier',
      kind: 'classifier',
      reason: 'classifier flagged: violence',
      score: 0.91,
    });
    expect((await p.check('input', 'What is the ARR of Acme?')).action).toBe(
      'allow',
    );
    expect(received.at(-1)).toMatchObject({
      url: '/v1/moderations',
      body: {
        input: 'What is the ARR of Acme?',
        model: 'omni-moderation-latest',
      },
      auth: 'Bearer test-key',
    });
  });

  it('uses a generic classifier URL with a score threshold', async () => {
    const p = pipelineFor({
      protocol: 'generic',
      baseUrl: `${baseUrl}/classify`,
      threshold: 0.8,
    });
    expect((await p.check('input', 'an attack text')).action).toBe('block');
    expect((await p.check('input', 'a normal question')).action).toBe('allow');
    expect(received.at(-1)).toMatchObject({
      url: '/classify',
      body: { text: 'a normal question', stage: 'input' },
    });
  });

  it.each([
    ['HTTP error', 'broken', 'classifier returned HTTP 500'],
    [
      'malformed body',
      'garbage',
      'classifier response is not a moderation result',
    ],
  ])(
    'turns a %s into an error verdict under its fail mode',
    async (_name, path, error) => {
      const closed = await pipelineFor({ baseUrl: `${baseUrl}/${path}` }).check(
        'input',
        'hello',
      );
      expect(closed.action).toBe('block');
      expect(closed.verdicts[0]).toMatchObject({ triggered: true, error });
      const open = await pipelineFor(
        { baseUrl: `${baseUrl}/${path}` },
        'fail-open',
      ).check('input', 'hello');
      expect(open.action).toBe('allow');
      expect(open.verdicts[0]).toMatchObject({ triggered: false, error });
    },
  );

  it('times out a slow endpoint', async () => {
    const p = pipelineFor({ baseUrl: `${baseUrl}/slow`, timeoutMs: 100 });
    const result = await p.check('input', 'hello');
    expect(result.action).toBe('block');
    expect(result.verdicts[0]?.error).toMatch(/timeout|abort/i);
  });

  it('fails when the endpoint is unreachable', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const result = await pipelineFor(
      { baseUrl: `http://127.0.0.1:${port}` },
      'fail-open',
    ).check('input', 'hello');
    expect(result.verdicts[0]).toMatchObject({ triggered: false });
    expect(result.verdicts[0]?.error).toBeDefined();
  });
});
