import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ScriptedResponse,
  ScriptedToolCall,
  StreamFaults,
  TurnOptions,
} from './scripted-responses.js';

/** A request the scripted server received. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body (`undefined` when it was not JSON). */
  readonly body: ChatCompletionRequestBody | undefined;
  /** The Azure deployment from `/openai/deployments/{deployment}/…`. */
  readonly deployment?: string;
}

/** The parts of a chat-completions request body tests look at. */
export interface ChatCompletionRequestBody {
  readonly model?: string;
  readonly messages?: readonly Record<string, unknown>[];
  readonly tools?: readonly {
    readonly type: string;
    readonly function: {
      readonly name: string;
      readonly description?: string;
      readonly parameters?: Record<string, unknown>;
    };
  }[];
  readonly tool_choice?: unknown;
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly max_completion_tokens?: number;
  readonly [key: string]: unknown;
}

/** Computes a reply from the request, for scripts that depend on what was sent. */
export type ScriptedHandler = (request: ReceivedRequest) => ScriptedResponse;

/**
 * An OpenAI-protocol double on `node:http`: it answers
 * `POST /v1/chat/completions` (also `/chat/completions`) and the Azure path
 * `POST /openai/deployments/{deployment}/chat/completions?api-version=…`
 * from a queue of scripted replies, one per request, and records every
 * request. With the queue empty it answers 400 (not retried by clients) so
 * a missing script fails the test instead of hanging it.
 */
export interface ScriptedOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`: the `baseURL` for OpenAI clients. */
  readonly baseURL: string;
  /** `http://127.0.0.1:<port>`: the `endpoint` for Azure clients. */
  readonly origin: string;
  /** Requests received so far, in order (one per attempt). */
  readonly requests: readonly ReceivedRequest[];
  /** Replies queued and not yet used. */
  readonly pending: number;
  /** Appends replies (or handlers computing them) to the queue. */
  enqueue(...responses: readonly (ScriptedResponse | ScriptedHandler)[]): void;
  /** Empties the queue and forgets received requests. */
  reset(): void;
  /** Closes every connection (stalled ones included) and the server. */
  close(): Promise<void>;
}

const CHAT_PATHS = new Set(['/v1/chat/completions', '/chat/completions']);
const AZURE_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/** Starts a scripted OpenAI-protocol server on 127.0.0.1 and a free port. */
export async function startScriptedOpenAIServer(): Promise<ScriptedOpenAIServer> {
  const queue: (ScriptedResponse | ScriptedHandler)[] = [];
  const requests: ReceivedRequest[] = [];
  let turns = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://scripted');
      const azure = AZURE_PATH.exec(url.pathname);
      if (req.method !== 'POST' || (!CHAT_PATHS.has(url.pathname) && !azure)) {
        sendJson(res, 404, errorBody('no such route on the scripted server'));
        return;
      }
      const received: ReceivedRequest = {
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: flatHeaders(req),
        body: parseJson(raw),
        ...(azure?.[1] !== undefined
          ? { deployment: decodeURIComponent(azure[1]) }
          : {}),
      };
      requests.push(received);
      const next = queue.shift();
      if (next === undefined) {
        sendJson(res, 400, errorBody('no scripted response queued'));
        return;
      }
      const response = typeof next === 'function' ? next(received) : next;
      turns += 1;
      respond(res, response, received, turns);
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseURL: `${origin}/v1`,
    origin,
    get requests() {
      return requests;
    },
    get pending() {
      return queue.length;
    },
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that went away mid-body gets no answer.
    req.on('error', () => resolve(''));
  });
}

function parseJson(raw: string): ChatCompletionRequestBody | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null
      ? (value as ChatCompletionRequestBody)
      : undefined;
  } catch {
    return undefined;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function errorBody(message: string): object {
  return {
    error: { message, type: 'invalid_request_error', param: null, code: null },
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_scripted_${status}`,
  });
  res.end(text);
}

function respond(
  res: ServerResponse,
  response: ScriptedResponse,
  request: ReceivedRequest,
  turn: number,
): void {
  switch (response.kind) {
    case 'http':
      sendJson(res, response.status, response.body, response.headers);
      return;
    case 'stall':
      // Hold the request open; the client's abort or close() ends it.
      return;
    case 'raw-stream':
      sendEvents(res, [...response.events], response.options);
      return;
    case 'turn':
      if (request.body?.stream === true) {
        sendEvents(res, turnEvents(response, request, turn), response.options);
      } else {
        sendJson(res, 200, turnCompletion(response, request, turn));
      }
      return;
  }
}

function sendEvents(
  res: ServerResponse,
  events: readonly string[],
  faults: StreamFaults,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const stopAt = Math.min(
    faults.stallAfterChunks ?? Infinity,
    faults.disconnectAfterChunks ?? Infinity,
  );
  const sent = events.slice(0, stopAt);
  const disconnect = () => {
    // Destroyed only once what was sent left the process, so the client
    // reads those events before it sees the connection break.
    setImmediate(() => res.socket?.destroy());
  };
  if (sent.length === 0) res.flushHeaders();
  sent.forEach((event, index) => {
    const last = index === sent.length - 1;
    const isDisconnect = last && stopAt === faults.disconnectAfterChunks;
    res.write(`data: ${event}\n\n`, isDisconnect ? disconnect : undefined);
  });
  if (stopAt === faults.stallAfterChunks) return;
  if (stopAt === faults.disconnectAfterChunks) {
    if (sent.length === 0) disconnect();
    return;
  }
  res.end();
}

interface TurnFacts {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly calls: readonly (ScriptedToolCall & { readonly id: string })[];
  readonly finishReason: string | null;
  readonly usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
  } | null;
}

function turnFacts(
  response: Extract<ScriptedResponse, { kind: 'turn' }>,
  request: ReceivedRequest,
  turn: number,
): TurnFacts {
  const options: TurnOptions = response.options;
  const calls = response.toolCalls.map((call, index) => ({
    ...call,
    id: call.id ?? `call_${turn}_${index}`,
  }));
  const chunkCount =
    response.text.length +
    calls.reduce((sum, call) => sum + call.argumentsChunks.length, 0);
  const usage =
    options.usage === null
      ? null
      : (options.usage ?? { promptTokens: 10, completionTokens: chunkCount });
  return {
    id: `chatcmpl-scripted-${turn}`,
    // A fixed timestamp: scripted answers are reproducible.
    created: 1_700_000_000,
    model: options.model ?? request.body?.model ?? 'scripted-model',
    calls,
    finishReason:
      options.finishReason === undefined
        ? calls.length > 0
          ? 'tool_calls'
          : 'stop'
        : options.finishReason,
    usage:
      usage === null
        ? null
        : {
            prompt_tokens: usage.promptTokens,
            completion_tokens: usage.completionTokens,
            total_tokens: usage.promptTokens + usage.completionTokens,
          },
  };
}

function turnEvents(
  response: Extract<ScriptedResponse, { kind: 'turn' }>,
  request: ReceivedRequest,
  turn: number,
): string[] {
  const facts = turnFacts(response, request, turn);
  const chunk = (delta: object, finishReason: string | null = null): string =>
    JSON.stringify({
      id: facts.id,
      object: 'chat.completion.chunk',
      created: facts.created,
      model: facts.model,
      system_fingerprint: null,
      choices: [
        { index: 0, delta, logprobs: null, finish_reason: finishReason },
      ],
    });
  const events = [chunk({ role: 'assistant', content: '' })];
  for (const text of response.text) events.push(chunk({ content: text }));
  for (const fragment of toolCallFragments(facts.calls, response.options)) {
    events.push(chunk({ tool_calls: [fragment] }));
  }
  events.push(chunk({}, facts.finishReason));
  if (facts.usage !== null && request.body?.stream_options?.include_usage) {
    events.push(
      JSON.stringify({
        id: facts.id,
        object: 'chat.completion.chunk',
        created: facts.created,
        model: facts.model,
        system_fingerprint: null,
        choices: [],
        usage: facts.usage,
      }),
    );
  }
  events.push('[DONE]');
  return events;
}

/** Each call's first fragment carries id, type and name; the rest carry argument pieces. */
function toolCallFragments(
  calls: TurnFacts['calls'],
  options: TurnOptions,
): object[] {
  const perCall = calls.map((call, index) => {
    const at = options.omitToolCallIndex ? {} : { index };
    const [first = '', ...rest] = call.argumentsChunks;
    return [
      {
        ...at,
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: first },
      },
      ...rest.map((piece) => ({ ...at, function: { arguments: piece } })),
    ];
  });
  if (!options.interleave) return perCall.flat();
  const fragments: object[] = [];
  const longest = Math.max(0, ...perCall.map((list) => list.length));
  for (let i = 0; i < longest; i += 1) {
    for (const list of perCall) {
      const fragment = list[i];
      if (fragment !== undefined) fragments.push(fragment);
    }
  }
  return fragments;
}

function turnCompletion(
  response: Extract<ScriptedResponse, { kind: 'turn' }>,
  request: ReceivedRequest,
  turn: number,
): object {
  const facts = turnFacts(response, request, turn);
  const content = response.text.join('');
  return {
    id: facts.id,
    object: 'chat.completion',
    created: facts.created,
    model: facts.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content.length > 0 ? content : null,
          refusal: null,
          ...(facts.calls.length > 0
            ? {
                tool_calls: facts.calls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: {
                    name: call.name,
                    arguments: call.argumentsChunks.join(''),
                  },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: facts.finishReason,
      },
    ],
    ...(facts.usage !== null ? { usage: facts.usage } : {}),
  };
}
