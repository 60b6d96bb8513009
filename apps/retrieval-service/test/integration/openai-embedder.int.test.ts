import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiEmbedder } from '../../src/adapters/embeddings/openai-embedder.js';
import { silentLogger } from '../helpers/fixtures.js';

interface Recorded {
  readonly path: string;
  readonly auth: string | undefined;
  readonly body: { model: string; input: string[]; encoding_format?: string };
}

/** A tiny server speaking the OpenAI embeddings protocol, with scripted failures. */
class EmbeddingsServer {
  readonly requests: Recorded[] = [];
  failures: number[] = [];
  dimensions = 8;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) =>
      this.server?.listen(0, '127.0.0.1', resolve),
    );
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = JSON.parse(raw) as Recorded['body'];
    this.requests.push({
      path: req.url ?? '',
      auth: req.headers.authorization,
      body,
    });
    const failure = this.failures.shift();
    if (failure) {
      res.writeHead(failure, {
        'content-type': 'application/json',
        'retry-after-ms': '5',
      });
      res.end(
        JSON.stringify({
          error: { message: 'scripted failure', type: 'server_error' },
        }),
      );
      return;
    }
    // Each vector encodes its text's length, so order mistakes are visible.
    const data = body.input.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: Array.from({ length: this.dimensions }, (_, d) =>
        d === 0 ? text.length : d / 10,
      ),
    }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        model: body.model,
        data: [...data].reverse(),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
  }
}

describe('OpenAiEmbedder against an OpenAI-protocol server', () => {
  const server = new EmbeddingsServer();
  let baseURL: string;
  beforeAll(async () => {
    baseURL = await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.failures = [];
    server.dimensions = 8;
  });

  const make = (
    overrides: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {},
  ): OpenAiEmbedder =>
    new OpenAiEmbedder({
      model: 'text-embedding-test',
      dimensions: 8,
      apiKey: 'sk-test',
      baseURL,
      batchSize: 3,
      logger: silentLogger,
      ...overrides,
    });

  it('batches requests and returns vectors in input order', async () => {
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g'];
    const vectors = await make().embed(texts);
    expect(server.requests.map((r) => r.body.input.length)).toEqual([3, 3, 1]);
    expect(server.requests[0]?.path).toBe('/v1/embeddings');
    expect(server.requests[0]?.auth).toBe('Bearer sk-test');
    expect(server.requests[0]?.body.model).toBe('text-embedding-test');
    expect(vectors.map((v) => v[0])).toEqual(texts.map((t) => t.length));
    expect(
      vectors.every((v) => v instanceof Float32Array && v.length === 8),
    ).toBe(true);
  });

  it('retries transient failures with backoff', async () => {
    server.failures = [503, 429];
    const vectors = await make({ maxRetries: 3 }).embed(['hello']);
    expect(vectors[0]?.[0]).toBe(5);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the retry budget with DEPENDENCY_UNAVAILABLE', async () => {
    server.failures = [500, 500, 500];
    await expect(
      make({ maxRetries: 1 }).embed(['hello']),
    ).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a client error', async () => {
    server.failures = [400];
    await expect(
      make({ maxRetries: 3 }).embed(['hello']),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects vectors of the wrong dimension', async () => {
    server.dimensions = 6;
    await expect(make().embed(['hello'])).rejects.toThrow(
      /6 dimensions; expected 8/,
    );
  });
});
