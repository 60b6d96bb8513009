import type { FastifyReply } from 'fastify';

/** The SSE event names of `POST /v1/chat` (DESIGN "Public API essentials"). */
export type ChatEventName =
  | 'delta'
  | 'tool_call'
  | 'tool_result'
  | 'citation'
  | 'confirmation_required'
  | 'final'
  | 'error';

/** A server-sent event stream on a hijacked reply. */
export interface EventStream {
  /** Writes one event (JSON data); ignored once the stream is closed. */
  send(event: ChatEventName, data: unknown): void;
  /** Ends the response; idempotent. */
  end(): void;
  /** True once ended or the client went away. */
  readonly closed: boolean;
  /** Aborted when the client disconnects before the stream ended. */
  readonly clientGone: AbortSignal;
}

/**
 * Hijacks `reply` and opens a `text/event-stream` response, keeping the
 * headers the gateway already set (trace id, rate-limit headers, security
 * headers). Each event gets an increasing `id`.
 */
export function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack();
  const raw = reply.raw;
  const headers: Record<string, string | string[] | number> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value;
  }
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Proxies (nginx) must not buffer: checked text is meant to flow.
    'x-accel-buffering': 'no',
  });
  raw.flushHeaders();
  const gone = new AbortController();
  let ended = false;
  let sequence = 0;
  raw.on('close', () => {
    if (!ended) gone.abort();
    ended = true;
  });
  return {
    get closed() {
      return ended || raw.destroyed;
    },
    clientGone: gone.signal,
    send(event, data) {
      if (ended || raw.destroyed) return;
      sequence += 1;
      raw.write(
        `id: ${sequence}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
    },
    end() {
      if (ended) return;
      ended = true;
      raw.end();
    },
  };
}
